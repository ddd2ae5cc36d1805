package io.switchboard.channel.line;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.bot.parser.LineSignatureValidator;
import com.linecorp.bot.webhook.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * What LINE's webhook does with one call, wherever the call arrives (the server's
 * {@link LineWebhookController}, or the serverless edition's webhook function): the
 * signature is checked before anything else; each event is then taken in by its
 * {@code webhookEventId} ({@link LineEvents}: a redelivery is recognised, also after a
 * restart), a message stored with its answer pending, and the call answered at once, so
 * LINE never waits for a model. Nothing is stored unless the whole body is signed and
 * valid.
 */
@Component
@ConditionalOnLineChannel
public class LineWebhook {

	private static final Logger log = LoggerFactory.getLogger(LineWebhook.class);

	private final LineSignatureValidator signatures;

	private final LineEvents events;

	private final LineProperties properties;

	LineWebhook(LineSignatureValidator signatures, LineEvents events, LineProperties properties) {
		this.signatures = signatures;
		this.events = events;
		this.properties = properties;
	}

	/**
	 * The answer to a webhook call.
	 *
	 * @param status the HTTP status
	 * @param body a JSON body: {@code {}}, or a message saying what was wrong
	 */
	public record Answer(int status, String body) {
	}

	/** The largest body taken, in bytes. */
	public long maxBodySize() {
		return properties.maxBodySize().toBytes();
	}

	/**
	 * Takes one call in.
	 * @param signature the {@code x-line-signature} header, or {@code null}
	 * @param body the body as sent (at most one byte more than {@link #maxBodySize()}
	 * need be read)
	 * @param from who called, for the log
	 */
	public Answer receive(String signature, byte[] body, String from) {
		if (signature == null || signature.isBlank()) {
			return answer(401, "missing x-line-signature");
		}
		long limit = maxBodySize();
		if (body.length > limit) {
			return answer(413, "the body is larger than " + limit + " bytes");
		}
		if (!signed(body, signature)) {
			log.warn("refused a LINE webhook call with a wrong signature from {}", from);
			return answer(401, "wrong x-line-signature");
		}
		List<Incoming> incoming;
		try {
			incoming = events(body);
		}
		catch (Malformed malformed) {
			log.warn("refused a signed LINE webhook body: {}", malformed.getMessage());
			return answer(400, malformed.getMessage());
		}
		for (Incoming event : incoming) {
			events.take(event.id(), event.event());
		}
		return new Answer(200, "{}");
	}

	/**
	 * Takes LINE's verification call (a signed body without events, as LINE sends when
	 * the webhook URL is set) the way a real call comes: reading, signature check and
	 * parsing run once and nothing is stored. For SnapStart's priming, before the
	 * snapshot.
	 * @return the answer's status (200)
	 */
	public int verifyCall() {
		byte[] body = "{\"destination\":\"Uprime\",\"events\":[]}".getBytes(StandardCharsets.UTF_8);
		try {
			javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
			mac.init(new javax.crypto.spec.SecretKeySpec(properties.channelSecret().getBytes(StandardCharsets.UTF_8),
					"HmacSHA256"));
			String signature = java.util.Base64.getEncoder().encodeToString(mac.doFinal(body));
			return receive(signature, body, "priming").status();
		}
		catch (java.security.GeneralSecurityException unavailable) {
			throw new IllegalStateException(unavailable);
		}
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

	private static Answer answer(int status, String message) {
		ObjectNode body = LineConfiguration.LINE_JSON.createObjectNode().put("message", message);
		return new Answer(status, body.toString());
	}

	private record Incoming(String id, Event event) {
	}

	private static final class Malformed extends RuntimeException {

		Malformed(String message) {
			super(message);
		}

	}

}
