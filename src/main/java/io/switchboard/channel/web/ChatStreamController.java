package io.switchboard.channel.web;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.switchboard.assistant.AnswerStops;
import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Received;
import io.switchboard.channel.Inbound;
import io.switchboard.channel.Intake;
import io.switchboard.channel.Taken;
import io.switchboard.conversation.AnswerState;
import io.switchboard.conversation.ConversationException;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Exchange;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.SessionId;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaRejected;
import io.switchboard.media.MediaStore;
import io.switchboard.voice.Heard;
import io.switchboard.voice.Voice;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Sends a chat message from the page into the channel pipeline and streams what happens
 * to it back as Server-Sent Events: {@code accepted} (with its session) as soon as it is
 * stored, {@code queued} (with how many turns are ahead) while its model's provider is
 * busy, {@code started}, {@code delta}s with the answer's text as it arrives, then
 * {@code done} with the answer rendered; or a {@code notice} per command reply, or an
 * {@code error}. The message is stored before any model is called, so it stays in the
 * session whatever happens to the answer; the answer runs on its own and is in the
 * session's history even when the page has gone. Bad input (a file that is not an image,
 * an empty message) is refused with a 4xx before any stream starts, and nothing is
 * stored. A voice message (recorded with the microphone or an uploaded audio file) is
 * heard first and then handled as if its words had been typed: the stream shows what was
 * heard as a {@code notice} before the answer; one that cannot be heard (too long, too
 * large, not audio, silent) is refused the same way, with the reason.
 */
@RestController
class ChatStreamController {

	private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(10);

	private final Intake intake;

	private final Conversations conversations;

	private final MediaStore media;

	private final WebStreams streams;

	private final WebNotices notices;

	private final Clock clock;

	private final AnswerStops stops;

	private final Voice voice;

	ChatStreamController(Intake intake, Conversations conversations, MediaStore media, WebStreams streams,
			WebNotices notices, Clock clock, AnswerStops stops, Voice voice) {
		this.stops = stops;
		this.voice = voice;
		this.intake = intake;
		this.conversations = conversations;
		this.media = media;
		this.streams = streams;
		this.notices = notices;
		this.clock = clock;
	}

	/**
	 * @param clientId the page's id for this message, so that sending it twice (a double
	 * click, a retry) stores and answers it once
	 * @param audio a voice message, sent on its own
	 * @param audioMillis how long the page measured the recording to be, if it did (a WAV
	 * file's own header counts too, and the longer one is taken)
	 */
	@PostMapping("/chat/messages")
	SseEmitter send(@AuthenticationPrincipal WebPrincipal me, @RequestParam(required = false) Long sessionId,
			@RequestParam(defaultValue = "") String text, @RequestParam(required = false) MultipartFile image,
			@RequestParam(required = false) String clientId, @RequestParam(required = false) MultipartFile audio,
			@RequestParam(required = false) Long audioMillis) throws IOException {
		boolean spoken = audio != null && !audio.isEmpty();
		if (text.isBlank() && (image == null || image.isEmpty()) && !spoken) {
			throw new BadMessage("Write a message, or attach an image with a question.");
		}
		if (clientId != null && !clientId.matches("[A-Za-z0-9-]{8,64}")) {
			throw new BadMessage("The message id must be 8 to 64 letters, digits or dashes.");
		}
		if (spoken && (!text.isBlank() || image != null && !image.isEmpty())) {
			throw new BadMessage("Send a voice message on its own, without text or an image.");
		}
		if (audioMillis != null && audioMillis < 0) {
			throw new BadMessage("The recording's length cannot be negative.");
		}
		// a session the page names must be the writer's to use, before anything is heard
		SessionId named = sessionId == null ? null : conversations.session(me.userId(), new SessionId(sessionId)).id();
		Heard.Words heard = null;
		if (spoken) {
			// heard before anything is stored: a clip that cannot be heard changes
			// nothing
			switch (voice.hear(audio.getBytes(), audioMillis == null ? null : Duration.ofMillis(audioMillis))) {
				case Heard.NotHeard notHeard -> throw new BadMessage(notHeard.reason());
				case Heard.Words words -> {
					heard = words;
					text = words.text();
				}
			}
		}
		List<MessagePart> parts = new ArrayList<>(2);
		if (image != null && !image.isEmpty()) {
			MediaRef stored = media.store(image.getBytes());
			parts.add(new MessagePart.Image(stored.sha256(), stored.mimeType(), stored.width(), stored.height()));
		}
		if (!text.isBlank()) {
			parts.add(new MessagePart.Text(text));
		}
		// none named starts a new chat
		SessionId session = named;
		InboundMessage message = new InboundMessage(new PlatformUserId(WebAccounts.PLATFORM, me.username()),
				me.displayName(), Place.web(), parts, session);

		String stream = UUID.randomUUID().toString();
		SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
		streams.open(stream, emitter);
		String key = me.userId().value() + ":" + (clientId != null ? clientId : stream);
		boolean command = CommandEcho.isCommand(text) && image == null;
		if (command) {
			// before the replies, which may come on another thread at once
			streams.send(stream, "command", Map.of("text", CommandEcho.of(text)));
		}
		WebAddress address = new WebAddress(me.userId().value(), stream);
		Taken taken = intake.take(heard == null ? Inbound.message(WebAccounts.PLATFORM, key, address, message)
				: Inbound.heard(WebAccounts.PLATFORM, key, address, message, heard));
		if (command && taken instanceof Taken.Accepted(Received.Replied replied, Long delivery)) {
			keep(me, session, text, replied);
		}
		if (!(taken instanceof Taken.Accepted accepted) || accepted.delivery() == null) {
			// sent before (a double click), or nothing to say: the history has the rest
			streams.complete(stream);
		}
		else if (accepted.received() instanceof Received.Asked asked) {
			// at once, so the page knows where its message went (and the response starts)
			// even while the answer waits for its turn
			// (and which answer the Stop button stops)
			streams.send(stream, "accepted", Map.of("sessionId", asked.exchange().session().id().value(),
					"sessionTitle", asked.exchange().session().title(), "answerId", asked.exchange().answer().id()));
		}
		return emitter;
	}

	/**
	 * Stops an answer the page is showing: the model's stream is cancelled at its next
	 * piece (which closes the connection to the provider, so it stops writing and
	 * billing) and what was shown so far is kept as the answer; the page's event stream
	 * then ends with {@code done} as usual. An answer still waiting for its turn is
	 * settled at once as stopped, and never sent to a model.
	 */
	@PostMapping("/chat/answers/{answerId}/stop")
	ResponseEntity<Map<String, Object>> stop(@AuthenticationPrincipal WebPrincipal me, @PathVariable long answerId) {
		Exchange exchange = conversations.exchange(answerId)
			.filter(found -> found.answer().id() == answerId && me.userId().equals(found.question().author()))
			.orElseThrow(() -> new ConversationException.NotFound("There is no answer " + answerId + " of yours."));
		if (exchange.answer().state() != AnswerState.PENDING) {
			return ResponseEntity.status(HttpStatus.CONFLICT)
				.body(Map.of("error", "This answer is already finished.", "stopped", false));
		}
		if (!stops.stop(answerId)) {
			// not being written here yet: it waits for its turn, which will find it
			// settled
			conversations.settle(answerId, AnswerState.FAILED, Assistant.STOPPED_BEFORE_TEXT);
		}
		return ResponseEntity.accepted().body(Map.of("stopped", true));
	}

	/**
	 * Keeps a command and its replies in the page's session (or, from a page with none,
	 * the current one the command left), so that a reload shows them in place.
	 */
	private void keep(WebPrincipal me, SessionId named, String text, Received.Replied replied) {
		if (replied.replies().isEmpty()) {
			return;
		}
		SessionId session = named;
		if (session == null) {
			session = conversations.user(me.userId()).currentSession();
		}
		if (session == null) {
			return;
		}
		try {
			// a command may have removed the session it was sent from
			conversations.session(me.userId(), session);
		}
		catch (ConversationException.NotFound gone) {
			return;
		}
		notices.record(session, me.userId(), CommandEcho.of(text), replied.replies(), clock.instant());
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
