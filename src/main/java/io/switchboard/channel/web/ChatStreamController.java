package io.switchboard.channel.web;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Reply;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.conversation.ConversationException;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.SessionId;
import io.switchboard.media.MediaLinks;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaRejected;
import io.switchboard.media.MediaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Sends a chat message from the page and streams the assistant's events back as
 * Server-Sent Events: {@code started}, then {@code delta}s with the answer's text as it
 * arrives, then {@code done} with the answer rendered; or a {@code notice} (command
 * replies, refusals) or an {@code error}. Bad input (a file that is not an image, an
 * empty message) is refused with a 4xx before any stream starts, and nothing is stored.
 */
@RestController
class ChatStreamController {

	private static final Logger log = LoggerFactory.getLogger(ChatStreamController.class);

	private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(10);

	private final Assistant assistant;

	private final Conversations conversations;

	private final MediaStore media;

	private final MediaLinks links;

	private final MarkdownRenderer markdown;

	ChatStreamController(Assistant assistant, Conversations conversations, MediaStore media, MediaLinks links,
			MarkdownRenderer markdown) {
		this.assistant = assistant;
		this.conversations = conversations;
		this.media = media;
		this.links = links;
		this.markdown = markdown;
	}

	@PostMapping("/chat/messages")
	SseEmitter send(@AuthenticationPrincipal WebPrincipal me, @RequestParam(required = false) Long sessionId,
			@RequestParam(defaultValue = "") String text, @RequestParam(required = false) MultipartFile image)
			throws IOException {
		if (text.isBlank() && (image == null || image.isEmpty())) {
			throw new BadMessage("Write a message, or attach an image with a question.");
		}
		List<MessagePart> parts = new ArrayList<>(2);
		if (image != null && !image.isEmpty()) {
			MediaRef stored = media.store(image.getBytes());
			parts.add(new MessagePart.Image(stored.sha256(), stored.mimeType(), stored.width(), stored.height()));
		}
		if (!text.isBlank()) {
			parts.add(new MessagePart.Text(text));
		}
		Session session = sessionId != null ? conversations.session(me.userId(), new SessionId(sessionId))
				: conversations.createSession(me.userId(), Place.web(), conversations.titleFrom(text), true);
		InboundMessage message = new InboundMessage(new PlatformUserId(WebAccounts.PLATFORM, me.username()),
				me.displayName(), Place.web(), parts, session.id());

		SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
		StreamingSink sink = new StreamingSink(emitter, session);
		Thread.ofVirtual().name("web-chat-" + me.username()).start(() -> {
			try {
				assistant.handle(message, sink);
				emitter.complete();
			}
			catch (RuntimeException failure) {
				log.error("chat message of {} failed", me.username(), failure);
				sink.send("error", Map.of("message", "Something went wrong on the server. Please try again."));
				emitter.complete();
			}
		});
		return emitter;
	}

	/** Renders the assistant's events as SSE; stops writing once the browser has gone. */
	private final class StreamingSink implements io.switchboard.assistant.ReplySink {

		private final SseEmitter emitter;

		private final Session session;

		private volatile boolean gone;

		StreamingSink(SseEmitter emitter, Session session) {
			this.emitter = emitter;
			this.session = session;
		}

		@Override
		public void accept(ReplyEvent event) {
			switch (event) {
				case ReplyEvent.AnswerStarted started -> send("started",
						Map.of("model", started.model(), "demo", started.demo(), "sessionId", session.id().value()));
				case ReplyEvent.AnswerDelta delta -> send("delta", Map.of("text", delta.text()));
				case ReplyEvent.AnswerCompleted done -> {
					Map<String, Object> data = new LinkedHashMap<>();
					data.put("html", markdown.render(done.text()));
					data.put("meta", ChatController.meta(done.exchange().answer().answer()));
					data.put("sessionId", done.exchange().session().id().value());
					data.put("sessionTitle", done.exchange().session().title());
					data.put("demo", done.demo());
					data.put("imageUrls",
							done.exchange()
								.question()
								.parts()
								.stream()
								.filter(MessagePart.Image.class::isInstance)
								.map(part -> links.path(((MessagePart.Image) part).sha256()))
								.toList());
					send("done", data);
				}
				case ReplyEvent.AnswerFailed failed -> send("error", Map.of("message", failed.message()));
				case ReplyEvent.Notice notice -> send("notice", notice(notice.reply()));
			}
		}

		private Map<String, Object> notice(Reply reply) {
			List<Map<String, String>> actions = reply.actions()
				.stream()
				.map(action -> Map.of("label", action.label(), "command", action.command(), "style",
						action.style().name().toLowerCase()))
				.toList();
			Map<String, Object> notice = new LinkedHashMap<>();
			notice.put("html", markdown.render(reply.text()));
			notice.put("actions", actions);
			if (reply.imageJob() != null) {
				// the page follows the job's own event stream and draws it in place
				notice.put("imageJob", reply.imageJob());
			}
			return notice;
		}

		void send(String name, Object data) {
			if (gone) {
				return;
			}
			try {
				emitter.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
			}
			catch (IOException | IllegalStateException closed) {
				// the browser left; the answer is still recorded and shows on reload
				gone = true;
			}
		}

	}

	@ExceptionHandler(MediaRejected.class)
	ResponseEntity<Map<String, String>> notAnImage(MediaRejected rejected) {
		return ResponseEntity.badRequest()
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("error", rejected.getMessage()));
	}

	@ExceptionHandler(BadMessage.class)
	ResponseEntity<Map<String, String>> badMessage(BadMessage bad) {
		return ResponseEntity.badRequest()
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("error", bad.getMessage()));
	}

	@ExceptionHandler(ConversationException.NotFound.class)
	ResponseEntity<Map<String, String>> notFound(ConversationException.NotFound missing) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("error", missing.getMessage()));
	}

	/** A message the page should not have sent. */
	static final class BadMessage extends RuntimeException {

		BadMessage(String message) {
			super(message);
		}

	}

}
