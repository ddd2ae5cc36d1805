package io.switchboard.api;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.conversation.AnswerRecord;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.SessionChoice;
import io.switchboard.conversation.User;
import io.switchboard.llm.TokenCounter;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaRejected;
import io.switchboard.media.MediaStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Stores an API exchange in the Switchboard session its {@code X-Switchboard-Session}
 * header names, so API use shows up in the user's history like a chat in the web page:
 * the last user message as the question (its text, and its {@code data:} images in the
 * media store) and the answer's text.
 */
@Component
class SessionExchanges {

	private static final Logger log = LoggerFactory.getLogger(SessionExchanges.class);

	private final Conversations conversations;

	private final MediaStore media;

	private final TokenCounter tokens;

	SessionExchanges(Conversations conversations, MediaStore media, TokenCounter tokens) {
		this.conversations = conversations;
		this.media = media;
		this.tokens = tokens;
	}

	/**
	 * Stores question and answer on a virtual thread, so the client's answer never waits
	 * for the database; a failure is logged, never the client's problem.
	 */
	void storeLater(User owner, Session session, JsonNode request, String answer, AnswerRecord record) {
		Thread.ofVirtual().name("api-session-" + session.id().value()).start(() -> {
			try {
				List<MessagePart> question = question(request);
				String questionText = MessagePart.textOf(question);
				conversations.recordExchange(owner, new SessionChoice.Existing(session), question,
						tokens.count(questionText) + TokenCounter.PER_MESSAGE_OVERHEAD, answer,
						tokens.count(answer) + TokenCounter.PER_MESSAGE_OVERHEAD, record);
			}
			catch (RuntimeException failed) {
				log.warn("could not store an API exchange in session {}: {}", session.id(), failed.getMessage());
			}
		});
	}

	/**
	 * The last user message as message parts: text as text, base64 {@code data:} images
	 * stored as media; an image given by its address is noted as text (the gateway
	 * fetches no addresses a client names), as is one the media store refuses.
	 */
	List<MessagePart> question(JsonNode request) {
		JsonNode messages = request.path("messages");
		for (int i = messages.size() - 1; i >= 0; i--) {
			JsonNode message = messages.get(i);
			if (!"user".equals(message.path("role").asText())) {
				continue;
			}
			JsonNode content = message.path("content");
			if (content.isTextual()) {
				return List.of(new MessagePart.Text(content.asText()));
			}
			List<MessagePart> parts = new ArrayList<>();
			for (JsonNode part : content) {
				switch (part.path("type").asText()) {
					case "text" -> parts.add(new MessagePart.Text(part.path("text").asText("")));
					case "image_url" -> {
						JsonNode image = part.path("image_url");
						parts.add(image(image.isTextual() ? image.asText() : image.path("url").asText("")));
					}
					default -> {
						// audio, files, ...: nothing a session shows
					}
				}
			}
			return parts;
		}
		return List.of();
	}

	private MessagePart image(String url) {
		DataUrl data = DataUrl.parse(url).orElse(null);
		if (data == null) {
			return new MessagePart.Text("[image: " + url + "]");
		}
		try {
			MediaRef stored = media.store(data.bytes());
			return new MessagePart.Image(stored.sha256(), stored.mimeType(), stored.width(), stored.height());
		}
		catch (IllegalArgumentException | MediaRejected unusable) {
			return new MessagePart.Text("[image not kept: " + unusable.getMessage() + "]");
		}
	}

}
