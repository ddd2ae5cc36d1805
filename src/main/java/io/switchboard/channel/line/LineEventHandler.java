package io.switchboard.channel.line;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.linecorp.bot.client.base.BlobContent;
import com.linecorp.bot.client.base.Result;
import com.linecorp.bot.messaging.client.MessagingApiBlobClient;
import com.linecorp.bot.messaging.client.MessagingApiClient;
import com.linecorp.bot.messaging.model.Message;
import com.linecorp.bot.messaging.model.ShowLoadingAnimationRequest;
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

import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Outcome;
import io.switchboard.assistant.Reply;
import io.switchboard.channel.InboundEventHandler;
import io.switchboard.conversation.ChatMode;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.User;
import io.switchboard.media.MediaProperties;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaRejected;
import io.switchboard.media.MediaStore;

import org.springframework.stereotype.Component;

/**
 * Handles LINE events on the inbox's background worker: texts and postbacks go through
 * the assistant, photos wait for their question, a follow gets a welcome, and everything
 * else a short answer or none. Whatever is answered goes through the {@link LineOutbox},
 * so running twice for one event never asks the model twice or sends twice.
 */
@Component
@ConditionalOnLineChannel
class LineEventHandler implements InboundEventHandler {

	private static final Logger log = LoggerFactory.getLogger(LineEventHandler.class);

	private static final String UNKNOWN_NAME = "LINE user";

	private final Assistant assistant;

	private final Conversations conversations;

	private final MediaStore media;

	private final MediaProperties mediaProperties;

	private final PendingPhotos photos;

	private final LineOutbox outbox;

	private final MessagingApiClient api;

	private final MessagingApiBlobClient blobs;

	private final LineProperties properties;

	private final LineImages images;

	private final LineComics comics;

	LineEventHandler(Assistant assistant, Conversations conversations, MediaStore media,
			MediaProperties mediaProperties, PendingPhotos photos, LineOutbox outbox, MessagingApiClient api,
			MessagingApiBlobClient blobs, LineProperties properties, LineImages images, LineComics comics) {
		this.assistant = assistant;
		this.conversations = conversations;
		this.media = media;
		this.mediaProperties = mediaProperties;
		this.photos = photos;
		this.outbox = outbox;
		this.api = api;
		this.blobs = blobs;
		this.properties = properties;
		this.images = images;
		this.comics = comics;
		if (!"https".equalsIgnoreCase(mediaProperties.publicBaseUrl().getScheme())) {
			log.warn("switchboard.media.public-base-url is {}: LINE only shows images from HTTPS addresses",
					mediaProperties.publicBaseUrl());
		}
	}

	@Override
	public String platform() {
		return LineWebhookController.PLATFORM;
	}

	@Override
	public void handle(String eventId, String payload) throws IOException {
		if (outbox.written(eventId)) {
			// a run before this one answered already and failed while sending
			outbox.deliver(eventId);
			return;
		}
		if (eventId.startsWith(LineImages.EVENT_PREFIX)) {
			// not LINE's event but ours: an image job finished
			images.render(payload)
				.ifPresent(delivery -> outbox.send(eventId, LineOutbox.Target.push(delivery.chatId()),
						delivery.messages()));
			return;
		}
		if (eventId.startsWith(LineComics.EVENT_PREFIX)) {
			// ours too: a comic made by /comic is finished, or has failed
			comics.render(payload)
				.ifPresent(delivery -> outbox.send(eventId, LineOutbox.Target.push(delivery.chatId()),
						delivery.messages()));
			return;
		}
		Event event = LineConfiguration.LINE_JSON.readValue(payload, Event.class);
		if (event.mode() == EventMode.STANDBY) {
			// another channel module is in charge of this chat: LINE forbids answering
			return;
		}
		LineChat chat = event.source() == null ? null : LineChat.of(event.source());
		switch (event) {
			case MessageEvent message when chat != null -> message(eventId, chat, message);
			case PostbackEvent postback when chat != null -> postback(eventId, chat, postback);
			case FollowEvent follow when chat != null -> send(eventId, target(follow.replyToken(), chat, event),
					List.of(welcome(chat)), actions(chat, List.of()));
			case JoinEvent join -> join(eventId, join);
			case UnsendEvent unsend -> {
				if (unsend.unsend() != null && photos.forget(unsend.unsend().messageId())) {
					log.debug("forgot a pending photo its sender took back");
				}
			}
			default -> log.debug("no answer to a LINE {} event ({})", event.getClass().getSimpleName(), eventId);
		}
	}

	// ---------------------------------------------------------------- messages

	private void message(String eventId, LineChat chat, MessageEvent event) {
		LineOutbox.Target target = target(event.replyToken(), chat, event);
		switch (event.message()) {
			case TextMessageContent text -> text(eventId, chat, target, text);
			case ImageMessageContent image -> photo(eventId, chat, target, image);
			case StickerMessageContent sticker -> unread(eventId, chat, target,
					"Thanks for the sticker! I read text and photos: ask me anything, or send a photo and then your question about it.");
			case VideoMessageContent video -> unread(eventId, chat, target, "I cannot watch videos yet.");
			case AudioMessageContent audio -> unread(eventId, chat, target, "I cannot listen to voice messages yet.");
			case FileMessageContent file -> unread(eventId, chat, target, "I cannot open files yet.");
			case LocationMessageContent location -> unread(eventId, chat, target, "I cannot use locations yet.");
			default -> unread(eventId, chat, target, "I cannot read this kind of message.");
		}
	}

	private void text(String eventId, LineChat chat, LineOutbox.Target target, TextMessageContent message) {
		String text = message.text() == null ? "" : message.text();
		if (!chat.isDirect()) {
			boolean mentioned = mentionsMe(message);
			if (!addressed(mentioned, isCommand(text.strip()))) {
				return; // group talk not meant for the bot
			}
			if (mentioned) {
				text = withoutMyMentions(message);
			}
		}
		converse(eventId, chat, target, text.strip());
	}

	/**
	 * Runs a text through the assistant (with the user's waiting photos, if it is a
	 * question) and sends what it answers.
	 */
	private void converse(String eventId, LineChat chat, LineOutbox.Target target, String text) {
		User user = conversations.identify(chat.sender(), displayName(chat));
		List<MessagePart> parts = new ArrayList<>();
		List<MessagePart.Image> waiting = isCommand(text) || user.mode() != ChatMode.CHAT ? List.of()
				: photos.waiting(chat.userId(), chat.chatId());
		parts.addAll(waiting);
		if (!text.isEmpty() || waiting.isEmpty()) {
			parts.add(new MessagePart.Text(text));
		}
		LineReplyCollector collector = new LineReplyCollector(() -> showLoading(chat));
		Outcome outcome = assistant
			.handle(new InboundMessage(chat.sender(), user.displayName(), chat.place(), parts, null), collector);
		List<String> texts = new ArrayList<>(collector.texts());
		if (!waiting.isEmpty()) {
			// a photo goes with one question, answered or refused; a refusal says so
			photos.clear(chat.userId(), chat.chatId());
			if (outcome == Outcome.REFUSED) {
				texts.add("(The photo was set aside: send it again with your next question.)");
			}
		}
		send(eventId, target, texts, actions(chat, collector.actions()));
	}

	private void photo(String eventId, LineChat chat, LineOutbox.Target target, ImageMessageContent image) {
		boolean answer = chat.isDirect() || properties.groupReplies() == LineProperties.GroupReplies.ALL;
		// of a set of photos sent together, only the first one is acknowledged
		boolean first = image.imageSet() == null || image.imageSet().index() == null || image.imageSet().index() <= 1;
		if (image.contentProvider() != null && image.contentProvider().type() == ContentProvider.Type.EXTERNAL) {
			if (answer) {
				send(eventId, target, List.of("I can only read photos sent in LINE itself."), actions(chat, List.of()));
			}
			return;
		}
		MediaRef stored;
		try {
			stored = media.store(download(image.id()));
		}
		catch (MediaRejected rejected) {
			if (answer) {
				send(eventId, target, List.of("I could not take that photo: " + rejected.getMessage()),
						actions(chat, List.of()));
			}
			return;
		}
		photos.keep(chat.userId(), chat.chatId(), image.id(), stored);
		if (!answer || !first) {
			// in a group the photo waits quietly for its sender's next question to the
			// bot
			return;
		}
		User user = conversations.identify(chat.sender(), displayName(chat));
		String reply = user.mode() == ChatMode.CHAT ? "Photo received, what would you like to know?"
				: "Photo received. You are in image mode, where messages become image prompts: switch to chat mode to ask about the photo.";
		send(eventId, target, List.of(reply), actions(chat, List.of()));
	}

	private byte[] download(String messageId) {
		long limit = mediaProperties.maxImageSize().toBytes();
		try {
			Result<BlobContent> content = blobs.getMessageContent(messageId)
				.get(properties.timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
			try (InputStream in = content.body().byteStream()) {
				byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
				if (bytes.length > limit) {
					throw new MediaRejected(
							"The image is larger than " + mediaProperties.maxImageSize().toMegabytes() + " MB.");
				}
				return bytes;
			}
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new LineOutbox.LineUnavailable("interrupted while downloading a photo", interrupted);
		}
		catch (java.util.concurrent.ExecutionException failed) {
			if (failed.getCause() instanceof com.linecorp.bot.messaging.client.MessagingApiClientException refused
					&& refused.getCode() == 404) {
				// LINE keeps what users send for a limited time only
				throw new MediaRejected("LINE no longer has it; please send it again.");
			}
			throw new LineOutbox.LineUnavailable("downloading photo " + messageId + " failed: " + failed.getCause(),
					failed.getCause());
		}
		catch (Exception failed) {
			if (failed instanceof MediaRejected rejected) {
				throw rejected;
			}
			// LINE keeps content for a while: the inbox tries again later
			throw new LineOutbox.LineUnavailable("downloading photo " + messageId + " failed: " + failed, failed);
		}
	}

	/** Message kinds the bot does not read: a short answer in a one-to-one chat. */
	private void unread(String eventId, LineChat chat, LineOutbox.Target target, String what) {
		if (!chat.isDirect()) {
			return;
		}
		String text = what.startsWith("Thanks") ? what
				: what + " Send me text, or a photo and then your question about it.";
		send(eventId, target, List.of(text), actions(chat, List.of()));
	}

	// ---------------------------------------------------------------- postbacks

	private void postback(String eventId, LineChat chat, PostbackEvent event) {
		String data = event.postback() == null ? null : event.postback().data();
		if (data == null || data.isBlank()) {
			return;
		}
		LineOutbox.Target target = target(event.replyToken(), chat, event);
		if (isCommand(data.strip())) {
			// a button is always meant for the bot, in groups too
			converse(eventId, chat, target, data.strip());
			return;
		}
		if (LineImages.isButton(data)) {
			User user = conversations.identify(chat.sender(), displayName(chat));
			send(eventId, target, List.of(images.press(user, chat, data)), actions(chat, List.of()));
			return;
		}
		log.debug("a LINE postback with unknown data {}", data);
	}

	private void join(String eventId, JoinEvent event) {
		String chatId = switch (event.source()) {
			case com.linecorp.bot.webhook.model.GroupSource group -> group.groupId();
			case com.linecorp.bot.webhook.model.RoomSource room -> room.roomId();
			case null, default -> null;
		};
		if (chatId == null) {
			return;
		}
		String how = switch (properties.groupReplies()) {
			case MENTION_OR_COMMAND -> "Mention me with your question, or send a command such as /help.";
			case MENTION -> "Mention me with your question.";
			case COMMAND -> "Send a command such as /help.";
			case ALL -> "Ask me anything; /help lists the commands.";
		};
		LineOutbox.Target target = new LineOutbox.Target(chatId, event.replyToken(), replyUntil(event));
		send(eventId, target, List.of("Hello everyone! I am an AI assistant. " + how
				+ " This group shares one conversation with me, which every member can see."), List.of());
	}

	// ---------------------------------------------------------------- helpers

	private String welcome(LineChat chat) {
		return """
				Hello! I am an AI assistant.
				• Ask me anything and I answer.
				• Send a photo, then ask about it.
				• Switch to image mode to draw pictures from a description: /mode image
				• Start a new topic with /new; /help lists every command.""";
	}

	/** The common commands as quick replies, after the reply's own buttons. */
	private List<Reply.Action> actions(LineChat chat, List<Reply.Action> own) {
		List<Reply.Action> actions = new ArrayList<>(own);
		ChatMode mode = conversations.findUser(chat.sender()).map(User::mode).orElse(ChatMode.CHAT);
		actions.add(Reply.Action.of("New topic", "/new"));
		actions.add(mode == ChatMode.CHAT ? Reply.Action.of("Image mode", "/mode image")
				: Reply.Action.of("Chat mode", "/mode chat"));
		actions.add(Reply.Action.of("Choose model", "/models"));
		actions.add(Reply.Action.of("Help", "/help"));
		return actions;
	}

	private void send(String eventId, LineOutbox.Target target, List<String> texts, List<Reply.Action> actions) {
		List<Message> messages = LineMessages.texts(texts, actions);
		outbox.send(eventId, target, messages);
	}

	private LineOutbox.Target target(String replyToken, LineChat chat, Event event) {
		return new LineOutbox.Target(chat.chatId(), replyToken, replyUntil(event));
	}

	/**
	 * A reply token expires about a minute after its event, whenever the event is
	 * handled: measured from the event's own timestamp.
	 */
	private Instant replyUntil(Event event) {
		return event.timestamp() == null ? null
				: Instant.ofEpochMilli(event.timestamp()).plus(properties.replyTokenTtl());
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
	 * The sender's LINE display name the first time we see them; a placeholder if LINE
	 * will not say.
	 */
	private String displayName(LineChat chat) {
		if (conversations.findUser(chat.sender()).isPresent()) {
			return UNKNOWN_NAME; // only used for new users
		}
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
			return found == null || found.isBlank() ? UNKNOWN_NAME : found;
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			return UNKNOWN_NAME;
		}
		catch (Exception unavailable) {
			log.debug("no LINE profile for a new user: {}", unavailable.toString());
			return UNKNOWN_NAME;
		}
	}

	/**
	 * The typing dots of a one-to-one chat while the model works; LINE has none for
	 * groups.
	 */
	private void showLoading(LineChat chat) {
		if (!chat.isDirect()) {
			return;
		}
		api.showLoadingAnimation(new ShowLoadingAnimationRequest(chat.chatId(), properties.loadingSeconds()))
			.exceptionally(failure -> {
				log.debug("LINE did not start the loading animation: {}", failure.toString());
				return null;
			});
	}

}
