package io.switchboard.channel.line;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.bot.parser.LineSignatureValidator;
import com.linecorp.bot.webhook.model.Event;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * LINE's webhook. The signature is checked before anything else; each event is then taken
 * in by its {@code webhookEventId} ({@link LineEvents}: a redelivery is recognised, also
 * after a restart), a message stored with its answer pending, and the request answered at
 * once, so LINE never waits for a model. Nothing is stored unless the whole body is
 * signed and valid.
 */
@RestController
@ConditionalOnLineChannel
class LineWebhookController {

	static final String PLATFORM = "line";

	private static final Logger log = LoggerFactory.getLogger(LineWebhookController.class);

	private final LineSignatureValidator signatures;

	private final LineEvents events;

	private final LineProperties properties;

	LineWebhookController(LineSignatureValidator signatures, LineEvents events, LineProperties properties) {
		this.signatures = signatures;
		this.events = events;
		this.properties = properties;
	}

	@PostMapping(path = "${switchboard.line.webhook-path:/line/webhook}", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> receive(@RequestHeader(name = "x-line-signature", required = false) String signature,
			HttpServletRequest request) throws IOException {
		if (signature == null || signature.isBlank()) {
			return answer(HttpStatus.UNAUTHORIZED, "missing x-line-signature");
		}
		long limit = properties.maxBodySize().toBytes();
		if (request.getContentLengthLong() > limit) {
			return answer(HttpStatus.PAYLOAD_TOO_LARGE, "the body is larger than " + limit + " bytes");
		}
		byte[] body;
		try (InputStream in = request.getInputStream()) {
			body = in.readNBytes((int) limit + 1);
		}
		if (body.length > limit) {
			return answer(HttpStatus.PAYLOAD_TOO_LARGE, "the body is larger than " + limit + " bytes");
		}
		if (!signed(body, signature)) {
			log.warn("refused a LINE webhook call with a wrong signature from {}", request.getRemoteAddr());
			return answer(HttpStatus.UNAUTHORIZED, "wrong x-line-signature");
		}
		List<Incoming> events;
		try {
			events = events(body);
		}
		catch (Malformed malformed) {
			log.warn("refused a signed LINE webhook body: {}", malformed.getMessage());
			return answer(HttpStatus.BAD_REQUEST, malformed.getMessage());
		}
		for (Incoming event : events) {
			this.events.take(event.id(), event.event());
		}
		return ResponseEntity.ok("{}");
	}

	/**
	 * The SDK's validator compares in constant time; a header that is not base64 fails.
	 */
	private boolean signed(byte[] body, String signature) {
		try {
			return signatures.validateSignature(body, signature.strip());
		}
		catch (IllegalArgumentException notBase64) {
			return false;
		}
	}

	/**
	 * Every event of the body with its id, each checked to be one the SDK can read, so
	 * that a body is taken in whole or not at all.
	 */
	private static List<Incoming> events(byte[] body) {
		JsonNode root;
		try {
			root = LineConfiguration.LINE_JSON.readTree(body);
		}
		catch (IOException notJson) {
			throw new Malformed("the body is not JSON");
		}
		if (root == null || !root.isObject() || !root.path("events").isArray()) {
			throw new Malformed("the body has no events array");
		}
		List<Incoming> events = new ArrayList<>();
		for (JsonNode node : root.path("events")) {
			if (!(node instanceof ObjectNode event) || !event.path("type").isTextual()) {
				throw new Malformed("an event has no type");
			}
			String id = event.path("webhookEventId").asText("");
			if (id.isBlank() || id.length() > 100) {
				throw new Malformed("an event has no webhookEventId");
			}
			try {
				events.add(new Incoming(id, LineConfiguration.LINE_JSON.treeToValue(event, Event.class)));
			}
			catch (JsonProcessingException unreadable) {
				throw new Malformed("event " + id + " cannot be read: " + unreadable.getOriginalMessage());
			}
		}
		return events;
	}

	private static ResponseEntity<String> answer(HttpStatus status, String message) {
		ObjectNode body = LineConfiguration.LINE_JSON.createObjectNode().put("message", message);
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body.toString());
	}

	private record Incoming(String id, Event event) {
	}

	private static final class Malformed extends RuntimeException {

		Malformed(String message) {
			super(message);
		}

	}

}
