package io.switchboard.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Relays an upstream's server-sent events to the client as they arrive: each read from
 * upstream is written on and flushed at once, whole events at a time. It looks into the
 * bytes only as far as it must: an event that carries a {@code "usage"} object is parsed
 * for the token counts, and dropped when it is the usage-only chunk the client did not
 * ask for; event texts are parsed only when the answer's text is wanted (to store it in a
 * session).
 */
final class SseRelay {

	private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

	private final ObjectMapper mapper;

	private final boolean forwardUsage;

	private final StringBuilder text;

	// small, since thousands of streams may be open at once; an event larger than it
	// grows it
	private byte[] buffer = new byte[2 * 1024];

	private int length;

	private int promptTokens = -1;

	private int completionTokens = -1;

	private int cachedTokens;

	private int events;

	private boolean done;

	private volatile boolean clientGone;

	private volatile boolean interrupted;

	private OutputStream out;

	private String finishReason;

	/**
	 * @param forwardUsage whether the client asked for the usage chunk
	 * @param collectText whether to gather the answer's text
	 */
	SseRelay(ObjectMapper mapper, boolean forwardUsage, boolean collectText) {
		this.mapper = mapper;
		this.forwardUsage = forwardUsage;
		this.text = collectText ? new StringBuilder() : null;
	}

	/**
	 * Relays until the upstream ends or the client goes away.
	 * @throws IOException when reading the upstream fails (the client has had part of the
	 * answer then)
	 */
	void relay(InputStream in, OutputStream out) throws IOException {
		synchronized (this) {
			this.out = out;
		}
		int read;
		while ((read = in.read(buffer, length, buffer.length - length)) != -1) {
			length += read;
			int consumed = forwardEvents(out);
			if (clientGone) {
				return;
			}
			if (consumed > 0) {
				System.arraycopy(buffer, consumed, buffer, 0, length - consumed);
				length -= consumed;
			}
			if (length == buffer.length) {
				// one event larger than the buffer: grow it
				byte[] bigger = new byte[buffer.length * 2];
				System.arraycopy(buffer, 0, bigger, 0, length);
				buffer = bigger;
			}
		}
		if (length > 0 && !clientGone) {
			// whatever trails without a closing blank line goes on as it is
			write(out, 0, length);
			flush(out);
		}
	}

	/** Forwards the complete events in the buffer; returns the bytes they took. */
	private int forwardEvents(OutputStream out) {
		int eventStart = 0;
		int pending = 0; // start of bytes not yet written
		for (int i = 0; i < length - 1; i++) {
			if (buffer[i] != '\n') {
				continue;
			}
			int end;
			if (buffer[i + 1] == '\n') {
				end = i + 2;
			}
			else if (buffer[i + 1] == '\r' && i + 2 < length && buffer[i + 2] == '\n') {
				end = i + 3;
			}
			else {
				continue;
			}
			boolean keep = inspect(eventStart, end);
			if (!keep) {
				write(out, pending, eventStart - pending);
				pending = end;
			}
			eventStart = end;
			i = end - 1;
		}
		write(out, pending, eventStart - pending);
		if (eventStart > 0) {
			flush(out);
		}
		return eventStart;
	}

	/** Reads what matters from one event; false when it must not reach the client. */
	private boolean inspect(int start, int end) {
		events++;
		if (end - start < 20 && indexOf(DONE, start, end) >= 0) {
			done = true;
			return true;
		}
		boolean hasUsage = usageObjectAt(start, end);
		if (!hasUsage && text == null) {
			return true; // the common case: passed on unread
		}
		JsonNode chunk = parse(start, end);
		if (chunk == null) {
			return true;
		}
		for (JsonNode choice : chunk.path("choices")) {
			if (text != null) {
				JsonNode content = choice.path("delta").path("content");
				if (content.isTextual()) {
					text.append(content.asText());
				}
			}
			if (choice.hasNonNull("finish_reason")) {
				finishReason = choice.get("finish_reason").asText();
			}
		}
		if (hasUsage) {
			JsonNode usage = chunk.path("usage");
			promptTokens = usage.path("prompt_tokens").asInt(0);
			completionTokens = usage.path("completion_tokens").asInt(0);
			cachedTokens = usage.path("prompt_tokens_details").path("cached_tokens").asInt(0);
			boolean usageOnly = chunk.path("choices").isEmpty();
			return forwardUsage || !usageOnly;
		}
		return true;
	}

	/** Whether the event has {@code "usage"} followed by an object (not {@code null}). */
	private boolean usageObjectAt(int start, int end) {
		int at = indexOf(USAGE, start, end);
		while (at >= 0) {
			int i = at + USAGE.length;
			while (i < end && (buffer[i] == ' ' || buffer[i] == ':' || buffer[i] == '\t')) {
				i++;
			}
			if (i < end && buffer[i] == '{') {
				return true;
			}
			at = indexOf(USAGE, at + 1, end);
		}
		return false;
	}

	private JsonNode parse(int start, int end) {
		// the JSON of "data:" lines (an event has one in practice)
		int i = start;
		while (i < end) {
			int lineEnd = i;
			while (lineEnd < end && buffer[lineEnd] != '\n') {
				lineEnd++;
			}
			if (lineEnd - i > 5 && buffer[i] == 'd' && buffer[i + 1] == 'a' && buffer[i + 2] == 't'
					&& buffer[i + 3] == 'a' && buffer[i + 4] == ':') {
				try {
					return mapper.readTree(buffer, i + 5, lineEnd - i - 5);
				}
				catch (IOException notJson) {
					return null;
				}
			}
			i = lineEnd + 1;
		}
		return null;
	}

	private int indexOf(byte[] needle, int from, int to) {
		outer: for (int i = from; i <= to - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (buffer[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	/**
	 * Ends the client's stream now with this last event (the server is stopping), from
	 * another thread: later upstream bytes are no longer passed on.
	 */
	synchronized void interrupt(byte[] lastEvent) {
		if (clientGone || out == null) {
			return;
		}
		interrupted = true;
		try {
			out.write(lastEvent);
			out.flush();
		}
		catch (IOException gone) {
			// the client left already
		}
		clientGone = true;
	}

	/** Whether the stream was ended by {@link #interrupt}. */
	boolean interrupted() {
		return interrupted;
	}

	private synchronized void write(OutputStream out, int from, int count) {
		if (count <= 0 || clientGone) {
			return;
		}
		try {
			out.write(buffer, from, count);
		}
		catch (IOException gone) {
			clientGone = true;
		}
	}

	private synchronized void flush(OutputStream out) {
		if (clientGone) {
			return;
		}
		try {
			out.flush();
		}
		catch (IOException gone) {
			clientGone = true;
		}
	}

	/** Input tokens the upstream reported, or -1. */
	int promptTokens() {
		return promptTokens;
	}

	/** Output tokens the upstream reported, or -1. */
	/** The prompt tokens the upstream read from its cache, 0 when it said nothing. */
	int cachedTokens() {
		return cachedTokens;
	}

	int completionTokens() {
		return completionTokens;
	}

	/** Events seen: about one per output token, the estimate when no usage came. */
	int events() {
		return events;
	}

	/** Whether {@code data: [DONE]} arrived. */
	boolean done() {
		return done;
	}

	boolean clientGone() {
		return clientGone;
	}

	String finishReason() {
		return finishReason;
	}

	/** The answer's text, when collected. */
	String text() {
		return text == null ? "" : text.toString();
	}

}
