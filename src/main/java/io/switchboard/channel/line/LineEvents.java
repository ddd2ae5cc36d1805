package io.switchboard.channel.line;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.linecorp.bot.client.base.BlobContent;
import com.linecorp.bot.client.base.Result;
import com.linecorp.bot.messaging.client.MessagingApiBlobClient;
import com.linecorp.bot.messaging.client.MessagingApiClient;
import com.linecorp.bot.webhook.model.AudioMessageContent;
import com.linecorp.bot.webhook.model.ContentProvider;
import com.linecorp.bot.webhook.model.Event;
import com.linecorp.bot.webhook.model.EventMode;
import com.linecorp.bot.webhook.model.FileMessageContent;
import com.linecorp.bot.webhook.model.FollowEvent;
import com.linecorp.bot.webhook.model.ImageMessageContent;
import com.linecorp.bot.webhook.model.JoinEvent;
import com.linecorp.bot.webhook.model.LocationMessageContent;
import com.linecorp.bot.webhook.model.MessageEvent;
import com.linecorp.bot.webhook.model.PostbackEvent;
import com.linecorp.bot.webhook.model.StickerMessageContent;
import com.linecorp.bot.webhook.model.TextMessageContent;
import com.linecorp.bot.webhook.model.UnsendEvent;
import com.linecorp.bot.webhook.model.UserMentionee;
import com.linecorp.bot.webhook.model.VideoMessageContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Reply;
import io.switchboard.channel.ChannelBacklog;
import io.switchboard.channel.Inbound;
import io.switchboard.channel.Intake;
import io.switchboard.channel.Taken;
import io.switchboard.conversation.ChatMode;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.User;
import io.switchboard.media.MediaProperties;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaRejected;
import io.switchboard.media.MediaStore;
import io.switchboard.voice.Heard;
import io.switchboard.voice.Voice;

import org.springframework.stereotype.Component;

/**
 * Translates LINE's events for the {@link Intake}, each under its {@code webhookEventId}:
 * a text (or a button's postback) is a message for the assistant, with the photos its
 * sender sent just before it; a photo is kept until the question about it comes; a follow
 * gets a welcome; kinds the bot does not read get a short answer in one-to-one chats.
 * Group talk not meant for the bot, and events LINE sends in standby mode, are only
 * recorded. Whatever is answered goes out through {@link LineRenderer}.
 */
@Component
@ConditionalOnLineChannel
class LineEvents implements ChannelBacklog {

	private static final Logger log = LoggerFactory.getLogger(LineEvents.class);

	private final Intake intake;

	private final Conversations conversations;

	private final MediaStore media;

	private final MediaProperties mediaProperties;

	private final PendingPhotos photos;

	private final MessagingApiClient api;

	private final MessagingApiBlobClient blobs;

	private final LineProperties properties;

	private final Voice voice;

	LineEvents(Intake intake, Conversations conversations, MediaStore media, MediaProperties mediaProperties,
			PendingPhotos photos, MessagingApiClient api, MessagingApiBlobClient blobs, LineProperties properties,
			Voice voice) {
		this.voice = voice;
		this.intake = intake;
		this.conversations = conversations;
		this.media = media;
		this.mediaProperties = mediaProperties;
		this.photos = photos;
		this.api = api;
		this.blobs = blobs;
		this.properties = properties;
		if (!"https".equalsIgnoreCase(mediaProperties.publicBaseUrl().getScheme())) {
			log.warn("switchboard.media.public-base-url is {}: LINE only shows images from HTTPS addresses",
					mediaProperties.publicBaseUrl());
		}
	}

	@Override
	public String platform() {
		return LineChat.PLATFORM;
	}

	/**
	 * An event kept as LINE sent it (by the old inbox before an upgrade, or by the
	 * serverless webhook function for its worker): the same as a new one.
	 */
	@Override
	public void retake(String eventId, String payload) {
		take(eventId, LineCalls.event(eventId, payload));
	}

	/** Takes one verified event in; a redelivery gets nothing new. */
	void take(String eventId, Event event) {
		// a redelivery gets nothing new from the intake itself; asking first only pays
		// where it saves a download (a photo, a voice message): every question asked of
		// the database before the intake holds a pooled connection once more while the
		// platform waits for the 200
		if (downloads(event) && intake.seen(LineChat.PLATFORM, eventId)) {
			log.debug("LINE redelivered event {}; already taken in", eventId);
			return;
		}
		LineChat chat = event.source() == null ? null : LineChat.of(event.source());
		if (event.mode() == EventMode.STANDBY || chat == null && !(event instanceof JoinEvent)) {
			// another channel module is in charge of this chat (LINE forbids answering),
			// or LINE did not say who wrote
			intake.take(Inbound.quiet(LineChat.PLATFORM, eventId));
			return;
		}
		Optional<User> known = chat == null ? Optional.empty() : conversations.findUser(chat.sender());
		ChatMode mode = known.map(User::mode).orElse(ChatMode.CHAT);
		boolean newUser = chat != null && known.isEmpty();
		Inbound inbound = switch (event) {
			case MessageEvent message -> message(eventId, chat, message, mode);
			case PostbackEvent postback -> postback(eventId, chat, postback, mode);
			case FollowEvent follow -> Inbound.replies(LineChat.PLATFORM, eventId,
					address(follow.replyToken(), chat, event), List.of(Reply.of(WELCOME)));
			case JoinEvent join -> join(eventId, join);
			case UnsendEvent unsend -> Inbound.quiet(LineChat.PLATFORM, eventId).onAccepted(() -> {
				if (unsend.unsend() != null && photos.forget(unsend.unsend().messageId())) {
					log.debug("forgot a pending photo its sender took back");
				}
			});
			default -> {
				log.debug("no answer to a LINE {} event ({})", event.getClass().getSimpleName(), eventId);
				yield Inbound.quiet(LineChat.PLATFORM, eventId);
			}
		};
		Taken taken = intake.take(inbound);
		if (newUser && taken instanceof Taken.Accepted accepted && accepted.received() != null) {
			nameNewUser(chat, accepted.received().user());
		}
	}

	// ---------------------------------------------------------------- messages

	/** Whether taking the event in downloads its content from LINE first. */
	private static boolean downloads(Event event) {
		return event instanceof MessageEvent message && (message.message() instanceof ImageMessageContent
				|| message.message() instanceof AudioMessageContent);
	}

	private Inbound message(String eventId, LineChat chat, MessageEvent event, ChatMode mode) {
		LineAddress address = address(event.replyToken(), chat, event);
		return switch (event.message()) {
			case TextMessageContent text -> text(eventId, chat, address, text, mode);
			case ImageMessageContent image -> photo(eventId, chat, address, image, mode);
			case StickerMessageContent sticker -> unread(eventId, chat, address,
					"Thanks for the sticker! I read text and photos: ask me anything, or send a photo and then your question about it.");
			case VideoMessageContent video -> unread(eventId, chat, address, "I cannot watch videos yet.");
			case AudioMessageContent audio -> voice(eventId, chat, address, audio, mode);
			case FileMessageContent file -> unread(eventId, chat, address, "I cannot open files yet.");
			case LocationMessageContent location -> unread(eventId, chat, address, "I cannot use locations yet.");
			default -> unread(eventId, chat, address, "I cannot read this kind of message.");
		};
	}

	private Inbound text(String eventId, LineChat chat, LineAddress address, TextMessageContent message,
			ChatMode mode) {
		String text = message.text() == null ? "" : message.text();
		if (!chat.isDirect()) {
			boolean mentioned = mentionsMe(message);
			if (!addressed(mentioned, isCommand(text.strip()))) {
				return Inbound.quiet(LineChat.PLATFORM, eventId); // group talk not meant
																	// for the bot
			}
			if (mentioned) {
				text = withoutMyMentions(message);
			}
		}
		return converse(eventId, chat, address, text.strip(), mode);
	}

	/**
	 * A text for the assistant, with the user's waiting photos when it is a question:
	 * they go with it, and are used up when the event is taken in.
	 */
	private Inbound converse(String eventId, LineChat chat, LineAddress address, String text, ChatMode mode) {
		List<MessagePart.Image> waiting = isCommand(text) || mode != ChatMode.CHAT ? List.of()
				: photos.waiting(chat.userId(), chat.chatId());
		List<MessagePart> parts = new ArrayList<>(waiting);
		if (!text.isEmpty() || waiting.isEmpty()) {
			parts.add(new MessagePart.Text(text));
		}
		Inbound inbound = Inbound.message(LineChat.PLATFORM, eventId, address,
				new InboundMessage(chat.sender(), null, chat.place(), parts, null));
		return waiting.isEmpty() ? inbound : inbound.onAccepted(() -> photos.clear(chat.userId(), chat.chatId()));
	}

	private Inbound photo(String eventId, LineChat chat, LineAddress address, ImageMessageContent image,
			ChatMode mode) {
		boolean answer = chat.isDirect() || properties.groupReplies() == LineProperties.GroupReplies.ALL;
		// of a set of photos sent together, only the first one is acknowledged
		boolean first = image.imageSet() == null || image.imageSet().index() == null || image.imageSet().index() <= 1;
		if (image.contentProvider() != null && image.contentProvider().type() == ContentProvider.Type.EXTERNAL) {
			return answer ? reply(eventId, address, "I can only read photos sent in LINE itself.")
					: Inbound.quiet(LineChat.PLATFORM, eventId);
		}
		MediaRef stored;
		try {
			stored = media.store(download(image.id()));
		}
		catch (MediaRejected rejected) {
			return answer ? reply(eventId, address, "I could not take that photo: " + rejected.getMessage())
					: Inbound.quiet(LineChat.PLATFORM, eventId);
		}
		Runnable keep = () -> photos.keep(chat.userId(), chat.chatId(), image.id(), stored);
		if (!answer || !first) {
			// in a group the photo waits quietly for its sender's next question to the
			// bot
			return Inbound.quiet(LineChat.PLATFORM, eventId).onAccepted(keep);
		}
		String reply = mode == ChatMode.CHAT ? "Photo received, what would you like to know?"
				: "Photo received. You are in image mode, where messages become image prompts: switch to chat mode to ask about the photo.";
		return reply(eventId, address, reply).onAccepted(keep);
	}

	/**
	 * A voice message: heard, then handled as if its words had been typed (a command
	 * too). In groups only where the bot answers everything: a voice note cannot mention
	 * it.
	 */
	private Inbound voice(String eventId, LineChat chat, LineAddress address, AudioMessageContent audio,
			ChatMode mode) {
		boolean answer = chat.isDirect() || properties.groupReplies() == LineProperties.GroupReplies.ALL;
		if (!answer) {
			return Inbound.quiet(LineChat.PLATFORM, eventId);
		}
		if (!voice.isOn()) {
			return reply(eventId, address, "I cannot listen to voice messages on this server; please type instead.");
		}
		if (audio.contentProvider() != null && audio.contentProvider().type() == ContentProvider.Type.EXTERNAL) {
			return reply(eventId, address, "I can only listen to voice messages recorded in LINE itself.");
		}
		byte[] bytes;
		try {
			bytes = download(audio.id(), voice.maxBytes(), voice.tooLarge());
		}
		catch (MediaRejected rejected) {
			return reply(eventId, address, "I could not take that voice message: " + rejected.getMessage());
		}
		Heard heard = voice.hear(bytes, audio.duration() == null ? null : Duration.ofMillis(audio.duration()));
		return switch (heard) {
			case Heard.NotHeard notHeard -> reply(eventId, address, notHeard.reason());
			case Heard.Words words -> {
				Inbound typed = converse(eventId, chat, address, words.text(), mode);
				Inbound.Body.Message message = (Inbound.Body.Message) typed.body();
				Inbound spoken = Inbound.heard(LineChat.PLATFORM, eventId, address, message.message(), words);
				yield typed.onAccepted() == null ? spoken : spoken.onAccepted(typed.onAccepted());
			}
		};
	}

	private byte[] download(String messageId) {
		long limit = mediaProperties.maxImageSize().toBytes();
		return download(messageId, limit,
				"The image is larger than " + mediaProperties.maxImageSize().toMegabytes() + " MB.");
	}

	private byte[] download(String messageId, long limit, String tooLarge) {
		try {
			Result<BlobContent> content = blobs.getMessageContent(messageId)
				.get(properties.timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
			try (InputStream in = content.body().byteStream()) {
				byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
				if (bytes.length > limit) {
					throw new MediaRejected(tooLarge);
				}
				return bytes;
			}
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new MediaRejected("LINE did not hand it over in time; please send it again.");
		}
		catch (java.util.concurrent.ExecutionException failed) {
			if (failed.getCause() instanceof com.linecorp.bot.messaging.client.MessagingApiClientException refused
					&& refused.getCode() == 404) {
				// LINE keeps what users send for a limited time only
				throw new MediaRejected("LINE no longer has it; please send it again.");
			}
			log.warn("downloading LINE content {} failed: {}", messageId, failed.getCause().toString());
			throw new MediaRejected("LINE did not hand it over just now; please send it again.");
		}
		catch (MediaRejected rejected) {
			throw rejected;
		}
		catch (Exception failed) {
			log.warn("downloading LINE content {} failed: {}", messageId, failed.toString());
			throw new MediaRejected("LINE did not hand it over just now; please send it again.");
		}
	}

	/** Message kinds the bot does not read: a short answer in a one-to-one chat. */
	private Inbound unread(String eventId, LineChat chat, LineAddress address, String what) {
		if (!chat.isDirect()) {
			return Inbound.quiet(LineChat.PLATFORM, eventId);
		}
		return reply(eventId, address,
				what.startsWith("Thanks") ? what : what + " Send me text, or a photo and then your question about it.");
	}

	private static Inbound reply(String eventId, LineAddress address, String text) {
		return Inbound.replies(LineChat.PLATFORM, eventId, address, List.of(Reply.of(text)));
	}

	// ---------------------------------------------------------------- postbacks

	/**
	 * A button: its data is a command (older image buttons carry
	 * {@code image:<job>:<code>}, read as the same command), always meant for the bot, in
	 * groups too.
	 */
	private Inbound postback(String eventId, LineChat chat, PostbackEvent event, ChatMode mode) {
		String data = event.postback() == null || event.postback().data() == null ? ""
				: event.postback().data().strip();
		String command = LineImages.oldButton(data).orElse(data);
		if (!isCommand(command)) {
			log.debug("a LINE postback with unknown data {}", data);
			return Inbound.quiet(LineChat.PLATFORM, eventId);
		}
		return converse(eventId, chat, address(event.replyToken(), chat, event), command, mode);
	}

	private Inbound join(String eventId, JoinEvent event) {
		String chatId = switch (event.source()) {
			case com.linecorp.bot.webhook.model.GroupSource group -> group.groupId();
			case com.linecorp.bot.webhook.model.RoomSource room -> room.roomId();
			case null, default -> null;
		};
		if (chatId == null) {
			return Inbound.quiet(LineChat.PLATFORM, eventId);
		}
		String how = switch (properties.groupReplies()) {
			case MENTION_OR_COMMAND -> "Mention me with your question, or send a command such as /help.";
			case MENTION -> "Mention me with your question.";
			case COMMAND -> "Send a command such as /help.";
			case ALL -> "Ask me anything; /help lists the commands.";
		};
		return reply(eventId, new LineAddress(chatId, null, event.replyToken(), replyUntil(event)),
				"Hello everyone! I am an AI assistant. " + how
						+ " This group shares one conversation with me, which every member can see.");
	}

	// ---------------------------------------------------------------- helpers

	private static final String WELCOME = """
			Hello! I am an AI assistant.
			• Ask me anything and I answer.
			• Send a photo, then ask about it.
			• Send a voice message: I answer what you said.
			• Switch to image mode to draw pictures from a description: /mode image
			• Start a new topic with /new; /help lists every command.""";

	private LineAddress address(String replyToken, LineChat chat, Event event) {
		return new LineAddress(chat.chatId(), chat.userId(), replyToken, replyUntil(event));
	}

	/**
	 * A reply token expires about a minute after its event, whenever the event is
	 * handled: measured from the event's own timestamp.
	 */
	private Long replyUntil(Event event) {
		return event.timestamp() == null ? null : event.timestamp() + properties.replyTokenTtl().toMillis();
	}

	private boolean addressed(boolean mentioned, boolean command) {
		return switch (properties.groupReplies()) {
			case MENTION_OR_COMMAND -> mentioned || command;
			case MENTION -> mentioned;
			case COMMAND -> command;
			case ALL -> true;
		};
	}

	private static boolean mentionsMe(TextMessageContent message) {
		return message.mention() != null && message.mention().mentionees() != null && message.mention()
			.mentionees()
			.stream()
			.anyMatch(mentionee -> mentionee instanceof UserMentionee user && Boolean.TRUE.equals(user.isSelf()));
	}

	/** The text without the bot's own "@name" mentions (LINE marks them by position). */
	private static String withoutMyMentions(TextMessageContent message) {
		StringBuilder text = new StringBuilder(message.text());
		message.mention()
			.mentionees()
			.stream()
			.filter(mentionee -> mentionee instanceof UserMentionee user && Boolean.TRUE.equals(user.isSelf()))
			.filter(mentionee -> mentionee.index() != null && mentionee.length() != null)
			.sorted((a, b) -> Integer.compare(b.index(), a.index()))
			.forEach(mentionee -> {
				int from = Math.max(0, Math.min(text.length(), mentionee.index()));
				int to = Math.max(from, Math.min(text.length(), mentionee.index() + mentionee.length()));
				text.delete(from, to);
			});
		return text.toString().strip();
	}

	/** The core's rule: a slash followed by a letter starts a command. */
	static boolean isCommand(String text) {
		return text.length() > 1 && text.charAt(0) == '/' && Character.isLetter(text.charAt(1));
	}

	/**
	 * A new user is first named by their LINE id (the intake does not wait for LINE);
	 * their display name follows from LINE's profile, off the webhook's thread.
	 */
	private void nameNewUser(LineChat chat, User user) {
		Thread.ofVirtual().name("line-profile-" + user.id().value()).start(() -> {
			try {
				CompletableFuture<String> name;
				if (chat.isDirect()) {
					name = api.getProfile(chat.userId()).thenApply(result -> result.body().displayName());
				}
				else if (chat.chatId().toUpperCase(Locale.ROOT).startsWith("R")) {
					name = api.getRoomMemberProfile(chat.chatId(), chat.userId())
						.thenApply(result -> result.body().displayName());
				}
				else {
					name = api.getGroupMemberProfile(chat.chatId(), chat.userId())
						.thenApply(result -> result.body().displayName());
				}
				String found = name.get(properties.timeout().toMillis(), TimeUnit.MILLISECONDS);
				if (found != null && !found.isBlank() && user.displayName().equals(chat.userId())) {
					conversations.rename(user.id(), found);
				}
			}
			catch (InterruptedException interrupted) {
				Thread.currentThread().interrupt();
			}
			catch (Exception unavailable) {
				log.debug("no LINE profile for a new user: {}", unavailable.toString());
			}
		});
	}

}
