package io.switchboard.channel.line;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

import com.linecorp.bot.messaging.client.MessagingApiClient;
import com.linecorp.bot.messaging.client.MessagingApiClientException;
import com.linecorp.bot.messaging.model.Message;
import com.linecorp.bot.messaging.model.PushMessageRequest;
import com.linecorp.bot.messaging.model.ReplyMessageRequest;
import com.linecorp.bot.messaging.model.ShowLoadingAnimationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.assistant.Reply;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ToolSteps;
import io.switchboard.channel.ChannelRenderer;
import io.switchboard.channel.DeliveryRefused;
import io.switchboard.channel.LiveAnswer;
import io.switchboard.channel.Outbound;
import io.switchboard.channel.Outgoing;
import io.switchboard.channel.Sent;
import io.switchboard.conversation.ChatMode;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.conversation.User;
import io.switchboard.image.ImageJob;
import io.switchboard.image.ImageOrigin;
import io.switchboard.llm.FinishReason;

import org.springframework.stereotype.Component;

/**
 * Shows deliveries on LINE. LINE has no streaming and cannot edit a message, so an answer
 * is sent whole; while the model writes, a one-to-one chat shows LINE's loading
 * animation. The first call goes by the event's reply token while it is fresh (free of
 * charge), everything else (and everything after the token expired or was refused) by
 * push, with a retry key made from the delivery and the call's number, so LINE drops a
 * push it has taken already (it answers 409). Image jobs are shown when finished, as the
 * image with its buttons; comics as their strip.
 */
@Component
@ConditionalOnLineChannel
class LineRenderer implements ChannelRenderer<LineAddress, LineRefs> {

	/** LINE takes at most five messages in one reply or push. */
	static final int MESSAGES_PER_CALL = 5;

	private static final Logger log = LoggerFactory.getLogger(LineRenderer.class);

	private final MessagingApiClient api;

	private final Conversations conversations;

	private final LineImages images;

	private final LineComics comics;

	private final LineProperties properties;

	private final Clock clock;

	private final io.switchboard.voice.Speech speech;

	LineRenderer(MessagingApiClient api, Conversations conversations, LineImages images, LineComics comics,
			LineProperties properties, Clock clock, io.switchboard.voice.Speech speech) {
		this.speech = speech;
		this.api = api;
		this.conversations = conversations;
		this.images = images;
		this.comics = comics;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public String platform() {
		return LineChat.PLATFORM;
	}

	@Override
	public Class<LineAddress> addressType() {
		return LineAddress.class;
	}

	@Override
	public Class<LineRefs> refsType() {
		return LineRefs.class;
	}

	@Override
	public String lane(LineAddress address) {
		return address.chat();
	}

	@Override
	public Optional<LineAddress> addressFor(ImageOrigin origin) {
		LineChat chat = LineChat.of(origin.requester(), origin.place());
		return Optional.of(LineAddress.push(chat.chatId(), origin.requester().id()));
	}

	/**
	 * Only a finished job: progress is not pushed, as LINE cannot edit a message and
	 * every push counts against the monthly quota.
	 */
	@Override
	public boolean shows(ImageJob job) {
		return job.state().finished();
	}

	@Override
	public LiveAnswer live(LineAddress address, LineRefs refs, Consumer<LineRefs> saveRefs) {
		if (!address.direct()) {
			return LiveAnswer.QUIET; // LINE has no typing signal in groups
		}
		return new LiveAnswer() {
			/** When the dots were last started: they show for loading-seconds at most. */
			private long shownAt;

			@Override
			public void queued(int ahead) {
				show();
			}

			@Override
			public void accept(ReplyEvent event) {
				if (event instanceof ReplyEvent.AnswerStarted) {
					show();
				}
			}

			private void show() {
				long now = System.nanoTime();
				// once while they still show: a turn that waited its turn long starts
				// them again
				if (shownAt == 0 || now - shownAt > properties.loadingSeconds() * 500_000_000L) {
					shownAt = now;
					showLoading(address.chat());
				}
			}
		};
	}

	@Override
	public Sent<LineRefs> send(Outgoing<LineAddress, LineRefs> outgoing) {
		LineAddress address = outgoing.address();
		List<Message> messages = messages(outgoing.content(), address);
		LineRefs refs = outgoing.refs() == null ? LineRefs.NONE : outgoing.refs();
		int calls = (messages.size() + MESSAGES_PER_CALL - 1) / MESSAGES_PER_CALL;
		for (int call = refs.calls(); call < calls; call++) {
			List<Message> batch = messages.subList(call * MESSAGES_PER_CALL,
					Math.min(messages.size(), (call + 1) * MESSAGES_PER_CALL));
			boolean replied = false;
			if (call == 0 && !refs.replyTried() && address.replyable(clock.instant())) {
				// a reply token takes one call: once tried, a repeat pushes
				refs = new LineRefs(true, call);
				outgoing.checkpoint().accept(refs);
				replied = reply(address.replyToken(), batch);
			}
			if (!replied) {
				push(outgoing.id(), call, address.chat(), batch);
			}
			refs = new LineRefs(refs.replyTried(), call + 1);
			if (call + 1 < calls) {
				outgoing.checkpoint().accept(refs);
			}
		}
		return new Sent<>(refs, null);
	}

	// ------------------------------------------------------------- messages

	private List<Message> messages(Outbound content, LineAddress address) {
		return switch (content) {
			case Outbound.Answer answer -> {
				// the answer spoken (/user voice on) first, as audio messages LINE
				// fetches from
				// signed links with their lengths; the text with the quick replies stays
				// last
				List<Message> all = new ArrayList<>();
				for (io.switchboard.voice.Spoken piece : answer.speech()) {
					all.add(new com.linecorp.bot.messaging.model.AudioMessage(speech.publicUrl(piece),
							Math.max(1, piece.durationMillis())));
				}
				all.addAll(LineMessages.texts(List.of(answerText(answer)), actions(address, List.of())));
				yield all;
			}
			case Outbound.Notices notices -> {
				// LINE shows one row of quick replies, under the last message:
				// where several notices have buttons (two facts proposed to
				// remember), each such notice and its buttons get a number, or
				// the row would repeat the same labels
				boolean numbered = notices.replies().stream().filter(reply -> !reply.actions().isEmpty()).count() > 1;
				List<String> texts = new ArrayList<>();
				List<Reply.Action> own = new ArrayList<>();
				int number = 0;
				for (Reply reply : notices.replies()) {
					String text = LineMessages.plain(reply.text());
					if (numbered && !reply.actions().isEmpty()) {
						String suffix = " " + ++number;
						text = number + ") " + text;
						reply.actions()
							.forEach(action -> own
								.add(new Reply.Action(action.label() + suffix, action.command(), action.style())));
					}
					else {
						own.addAll(reply.actions());
					}
					texts.add(text);
				}
				yield LineMessages.texts(texts.stream().filter(text -> !text.isBlank()).toList(),
						actions(address, own));
			}
			case Outbound.Image image -> images.messages(image.job());
			case Outbound.Comic comic -> comics.messages(comic);
		};
	}

	private static String answerText(Outbound.Answer answer) {
		StoredMessage stored = answer.exchange().answer();
		if (!stored.answered()) {
			boolean photo = answer.exchange().question().parts().stream().anyMatch(MessagePart.Image.class::isInstance);
			// a photo goes with one question: when that is not answered, it is used up
			return "⚠️ " + LineMessages.plain(stored.note())
					+ (photo ? "\n\n(The photo was set aside: send it again with your next question.)" : "");
		}
		StringBuilder text = new StringBuilder(LineMessages.plain(stored.text()));
		if (text.isEmpty()) {
			text.append("(The model gave an empty answer.)");
		}
		// LINE cannot edit: the tools used come as short lines before the answer
		List<String> steps = ToolSteps.lines(stored.parts());
		if (!steps.isEmpty()) {
			text.insert(0, String.join("\n", steps) + "\n\n");
		}
		if (stored.answer() != null && FinishReason.LENGTH.name().equalsIgnoreCase(stored.answer().finishReason())) {
			text.append("\n\n(The answer was cut off at its length limit: /user maxtokens sets it.)");
		}
		if (answer.demo()) {
			text.append("\n\n— demo model: not a real AI answer");
		}
		return text.toString();
	}

	/** The reply's own buttons, then the common commands as quick replies. */
	private List<Reply.Action> actions(LineAddress address, List<Reply.Action> own) {
		List<Reply.Action> actions = new ArrayList<>(own);
		ChatMode mode = address.user() == null ? ChatMode.CHAT
				: conversations.findUser(new PlatformUserId(LineChat.PLATFORM, address.user()))
					.map(User::mode)
					.orElse(ChatMode.CHAT);
		actions.add(Reply.Action.of("New topic", "/new"));
		actions.add(mode == ChatMode.CHAT ? Reply.Action.of("Image mode", "/mode image")
				: Reply.Action.of("Chat mode", "/mode chat"));
		actions.add(Reply.Action.of("Choose model", "/models"));
		actions.add(Reply.Action.of("Help", "/help"));
		return actions;
	}

	// ---------------------------------------------------------------- calls

	/** True when the reply went out; false when LINE refused the token (then we push). */
	private boolean reply(String token, List<Message> messages) {
		try {
			call(api.replyMessage(new ReplyMessageRequest(token, messages, false)));
			return true;
		}
		catch (MessagingApiClientException refused) {
			if (refused.getCode() == 400 && String.valueOf(refused.getError()).toLowerCase().contains("reply token")) {
				log.info("LINE refused a reply token ({}); pushing instead", refused.getError());
				return false;
			}
			throw failure("reply", refused);
		}
	}

	private void push(long delivery, int call, String chat, List<Message> messages) {
		try {
			call(api.pushMessage(retryKey(delivery, call), new PushMessageRequest(chat, messages, false, null)));
		}
		catch (MessagingApiClientException refused) {
			if (refused.getCode() == 409) {
				return; // the retry key was taken before: this push was delivered already
			}
			if (refused.getCode() >= 400 && refused.getCode() < 500 && refused.getCode() != 429) {
				// the same request would be refused again
				throw new DeliveryRefused("LINE refused a push to " + chat + ": " + refused.getCode() + " "
						+ refused.getError() + " " + refused.getDetails(), refused);
			}
			throw failure("push", refused);
		}
	}

	/**
	 * The same delivery and call always make the same key, so a second push is dropped.
	 */
	static UUID retryKey(long delivery, int call) {
		return UUID.nameUUIDFromBytes(("line-delivery:" + delivery + ":" + call).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The typing dots of a one-to-one chat while the model works; LINE has none for
	 * groups.
	 */
	private void showLoading(String chat) {
		api.showLoadingAnimation(new ShowLoadingAnimationRequest(chat, properties.loadingSeconds()))
			.exceptionally(failure -> {
				log.debug("LINE did not start the loading animation: {}", failure.toString());
				return null;
			});
	}

	private static <T> T call(CompletableFuture<T> future) throws MessagingApiClientException {
		try {
			return future.get();
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new LineUnavailable("interrupted while calling LINE", interrupted);
		}
		catch (ExecutionException failed) {
			if (failed.getCause() instanceof MessagingApiClientException refused) {
				throw refused;
			}
			throw new LineUnavailable("calling LINE failed: " + failed.getCause(), failed.getCause());
		}
	}

	private static LineUnavailable failure(String what, MessagingApiClientException refused) {
		return new LineUnavailable("LINE answered " + refused.getCode() + " to a " + what + ": " + refused.getError(),
				refused);
	}

	/**
	 * LINE could not be reached or failed for now (5xx, 429, a timeout): the delivery is
	 * tried again later.
	 */
	static final class LineUnavailable extends RuntimeException {

		LineUnavailable(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
