package io.switchboard.channel.line;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.bot.jackson.ModelObjectMapper;
import com.linecorp.bot.parser.LineSignatureValidator;
import com.linecorp.bot.webhook.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Reads a LINE webhook call before anything is stored: the signature over the bytes as
 * sent, the size, and the body's shape (JSON, an events array, each event with its type
 * and {@code webhookEventId}). The server's {@link LineWebhook} then reads every event
 * with the SDK ({@link SignedEvent#event()}) before it takes any in, so that a body is
 * taken in whole or not at all; the serverless edition's webhook function keeps and
 * queues the events as sent, and its worker reads them (so the webhook's start loads none
 * of the SDK's event model).
 */
public final class LineCalls {

	private static final Logger log = LoggerFactory.getLogger(LineCalls.class);

	/** LINE's name among the platforms (in keys, deliveries, identities). */
	public static final String PLATFORM = "line";

	/** For the body's shape and the answers' messages: plain, quick to make. */
	private static final ObjectMapper TREE = new ObjectMapper();

	/**
	 * The SDK's own mapper, which knows LINE's polymorphic events and messages; made when
	 * first needed (a holder class), which the serverless webhook never does.
	 */
	private static final class Sdk {

		static final ObjectMapper JSON = ModelObjectMapper.createNewObjectMapper();

	}

	private final LineSignatureValidator signatures;

	private final long maxBodySize;

	LineCalls(String channelSecret, long maxBodySize) {
		this.signatures = new LineSignatureValidator(channelSecret.getBytes(StandardCharsets.UTF_8));
		this.maxBodySize = maxBodySize;
	}

	/**
	 * For a process without the LINE channel's beans (the serverless webhook function):
	 * the channel secret and body limit from the same {@code switchboard.line.*} settings
	 * the server binds.
	 * @throws IllegalStateException when no channel secret is set
	 */
	public static LineCalls from(Environment environment) {
		LineProperties line = Binder.get(environment).bindOrCreate("switchboard.line", LineProperties.class);
		if (line.channelSecret() == null || line.channelSecret().isBlank()) {
			throw new IllegalStateException(
					"switchboard.line.channel-secret is not set: LINE's calls cannot be checked");
		}
		return new LineCalls(line.channelSecret(), line.maxBodySize().toBytes());
	}

	/** The largest body taken, in bytes. */
	public long maxBodySize() {
		return maxBodySize;
	}

	/** What a call turned out to be. */
	public sealed interface Read permits Refused, Signed {

	}

	/** Not taken: the answer says why (401, 413 or 400), and nothing is to be stored. */
	public record Refused(LineWebhook.Answer answer) implements Read {

	}

	/** A signed, readable body: its events, in order (none for LINE's verification). */
	public record Signed(List<SignedEvent> events) implements Read {

	}

	/**
	 * One event of a signed body.
	 *
	 * @param id its {@code webhookEventId}, LINE's key for it (also on a redelivery)
	 * @param json the event as LINE sent it
	 */
	public record SignedEvent(String id, String json) {

		/**
		 * The event as the SDK reads it.
		 * @throws IllegalArgumentException when the SDK cannot read it (the message says
		 * which event and why)
		 */
		public Event event() {
			return LineCalls.event(id, json);
		}

	}

	/**
	 * Reads one call.
	 * @param signature the {@code x-line-signature} header, or {@code null}
	 * @param body the body as sent (at most one byte more than {@link #maxBodySize()}
	 * need be read)
	 * @param from who called, for the log
	 */
	public Read read(String signature, byte[] body, String from) {
		if (signature == null || signature.isBlank()) {
			return refused(401, "missing x-line-signature");
		}
		if (body.length > maxBodySize) {
			return refused(413, "the body is larger than " + maxBodySize + " bytes");
		}
		if (!signed(body, signature)) {
			log.warn("refused a LINE webhook call with a wrong signature from {}", from);
			return refused(401, "wrong x-line-signature");
		}
		try {
			return new Signed(events(body));
		}
		catch (Malformed malformed) {
			log.warn("refused a signed LINE webhook body: {}", malformed.getMessage());
			return refused(400, malformed.getMessage());
		}
	}

	/**
	 * An event kept as LINE sent it, read again (by the worker that takes it in).
	 * @throws IllegalArgumentException when it cannot be read
	 */
	public static Event event(String id, String json) {
		try {
			return Sdk.JSON.readValue(json, Event.class);
		}
		catch (JsonProcessingException unreadable) {
			throw new IllegalArgumentException("event " + id + " cannot be read: " + unreadable.getOriginalMessage(),
					unreadable);
		}
	}

	/**
	 * Reads LINE's verification call (a signed body without events, as LINE sends when
	 * the webhook URL is set) the way a real call is read: signature, parsing; for
	 * SnapStart's priming.
	 */
	public Read readVerificationCall() {
		byte[] body = "{\"destination\":\"Uprime\",\"events\":[]}".getBytes(StandardCharsets.UTF_8);
		// signed as LINE signs, by the SDK's own validator
		return read(Base64.getEncoder().encodeToString(signatures.generateSignature(body)), body, "priming");
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

	private static List<SignedEvent> events(byte[] body) {
		JsonNode root;
		try {
			root = TREE.readTree(body);
		}
		catch (IOException notJson) {
			throw new Malformed("the body is not JSON");
		}
		if (root == null || !root.isObject() || !root.path("events").isArray()) {
			throw new Malformed("the body has no events array");
		}
		List<SignedEvent> events = new ArrayList<>();
		for (JsonNode node : root.path("events")) {
			if (!(node instanceof ObjectNode event) || !event.path("type").isTextual()) {
				throw new Malformed("an event has no type");
			}
			String id = event.path("webhookEventId").asText("");
			if (id.isBlank() || id.length() > 100) {
				throw new Malformed("an event has no webhookEventId");
			}
			events.add(new SignedEvent(id, event.toString()));
		}
		return events;
	}

	static Refused refused(int status, String message) {
		ObjectNode body = TREE.createObjectNode().put("message", message);
		return new Refused(new LineWebhook.Answer(status, body.toString()));
	}

	private static final class Malformed extends RuntimeException {

		Malformed(String message) {
			super(message);
		}

	}

}
