package io.switchboard.channel.slack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.slack.api.model.File;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Reply;
import io.switchboard.channel.Inbound;
import io.switchboard.channel.Taken;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaRejected;
import io.switchboard.media.MediaStore;
import io.switchboard.voice.Heard;
import io.switchboard.voice.Voice;

/**
 * Translates messages for the intake: a question in a channel (or one that mentions the
 * bot, as the channel is configured) is answered in a thread under it, a reply in that
 * thread in the same session, and every message in a DM in its own thread. Images shared
 * with a question are downloaded with the bot token and go to the model with the text; an
 * audio clip sent alone is heard and answered as its words. A message's key is its
 * channel and {@code ts}, so Slack's retries and the second event of one message (a
 * mention arrives as {@code message} and as {@code app_mention}) are one.
 */
final class SlackMessages {

	static final String PLATFORM = "slack";

	private static final Logger log = LoggerFactory.getLogger(SlackMessages.class);

	private final SlackApi api;

	private final Conversations conversations;

	private final MediaStore media;

	private final SlackProperties properties;

	private final Voice voice;

	SlackMessages(SlackApi api, Conversations conversations, MediaStore media, SlackProperties properties,
			Voice voice) {
		this.voice = voice;
		this.api = api;
		this.conversations = conversations;
		this.media = media;
		this.properties = properties;
	}

	static String key(SlackInbound.Message message) {
		return "msg:" + message.channel() + ":" + message.ts();
	}

	/** What to take in for a message: a question or command, or nothing to answer. */
	Inbound inbound(SlackInbound.Message message) {
		String key = key(message);
		SlackApi.BotIdentity bot = api.identity();
		if (message.user() == null || message.botId() != null || message.user().equals(bot.userId())) {
			return Inbound.quiet(PLATFORM, key); // bots, this one included, are never
													// answered
		}
		String threadTs = message.threadTs() != null ? message.threadTs() : message.ts();
		PlaceKind kind = message.direct() ? PlaceKind.DIRECT : PlaceKind.GROUP;
		Place place = new Place(PLATFORM, kind, message.channel(), threadTs);
		if (!shouldAnswer(message, bot, place)) {
			return Inbound.quiet(PLATFORM, key);
		}
		SlackAddress.Thread address = new SlackAddress.Thread(message.channel(), threadTs);
		String text = SlackText.plain(message.text(), bot.userId());
		if (text.isEmpty() && message.files().size() == 1 && isAudio(message.files().getFirst())) {
			// an audio clip sent alone: answered as its words
			return voice(key, address, place, message);
		}
		List<MessagePart> parts = new ArrayList<>();
		if (!text.isEmpty()) {
			parts.add(new MessagePart.Text(text));
		}
		for (SlackInbound.FileRef file : message.files()) {
			try {
				parts.add(image(file));
			}
			catch (MediaRejected | SlackApi.TooLarge rejected) {
				String reason = rejected instanceof MediaRejected ? rejected.getMessage() : "It is too large.";
				return Inbound.replies(PLATFORM, key, address,
						List.of(Reply.of("I can only read images (PNG, JPEG, GIF or WebP) up to the size limit, and **"
								+ (file.name() == null ? "the file" : file.name()) + "** is not one I can use: "
								+ reason + " Nothing was sent to the model.")));
			}
		}
		if (parts.isEmpty()) {
			parts.add(new MessagePart.Text(""));
		}
		PlatformUserId sender = new PlatformUserId(PLATFORM, message.user());
		return Inbound.message(PLATFORM, key, address, new InboundMessage(sender, null, place, parts, null));
	}

	/** Whether a message's author is met for the first time. */
	boolean fromNewUser(SlackInbound.Message message) {
		return message.user() != null && conversations.findUser(new PlatformUserId(PLATFORM, message.user())).isEmpty();
	}

	/**
	 * Gives a user met for the first time their Slack name, once their message is taken
	 * in: until then they are known by their id. {@code users.info} is a call to Slack,
	 * which the event's acknowledgement does not wait for.
	 */
	void nameNewUser(Taken taken, String slackUserId) {
		if (!(taken instanceof Taken.Accepted accepted) || accepted.received() == null) {
			return;
		}
		User user = accepted.received().user();
		Thread.ofVirtual().name("slack-name-" + user.id().value()).start(() -> {
			try {
				api.displayName(slackUserId).ifPresent(name -> {
					if (user.displayName().equals(slackUserId)) {
						conversations.rename(user.id(), name);
					}
				});
			}
			catch (RuntimeException unavailable) {
				log.debug("no Slack name for a new user: {}", unavailable.toString());
			}
		});
	}

	private boolean shouldAnswer(SlackInbound.Message message, SlackApi.BotIdentity bot, Place place) {
		if (message.direct()) {
			return true;
		}
		SlackProperties.Respond respond = properties.respondIn(message.channel());
		if (respond == SlackProperties.Respond.OFF) {
			return false;
		}
		boolean mentioned = SlackText.mentions(message.text(), bot.userId());
		if (message.threadTs() != null && !message.threadTs().equals(message.ts())) {
			// a reply in a thread: answered where the bot takes part, or when it is
			// called
			return mentioned || conversations.threadSession(place).isPresent();
		}
		return respond == SlackProperties.Respond.ALL || mentioned;
	}

	private static boolean isAudio(SlackInbound.FileRef file) {
		return file.mimetype() != null && file.mimetype().toLowerCase(Locale.ROOT).startsWith("audio/");
	}

	private Inbound voice(String key, SlackAddress.Thread address, Place place, SlackInbound.Message message) {
		if (!voice.isOn()) {
			return Inbound.replies(PLATFORM, key, address,
					List.of(Reply.of("I cannot listen to voice messages on this server; please type instead.")));
		}
		SlackInbound.FileRef file = message.files().getFirst();
		String url = file.url();
		if (url == null && file.id() != null) {
			File info = api.fileInfo(file.id());
			url = info.getUrlPrivateDownload() != null ? info.getUrlPrivateDownload() : info.getUrlPrivate();
		}
		if (url == null) {
			return Inbound.replies(PLATFORM, key, address,
					List.of(Reply.of("Slack did not give me a link to that audio clip.")));
		}
		byte[] bytes;
		try {
			bytes = api.download(url);
		}
		catch (SlackApi.TooLarge tooLarge) {
			return Inbound.replies(PLATFORM, key, address, List.of(Reply.of(voice.tooLarge())));
		}
		return switch (voice.hear(bytes, null)) {
			case Heard.NotHeard notHeard ->
				Inbound.replies(PLATFORM, key, address, List.of(Reply.of(notHeard.reason())));
			case Heard.Words words -> {
				PlatformUserId sender = new PlatformUserId(PLATFORM, message.user());
				yield Inbound.heard(PLATFORM, key, address, InboundMessage.text(sender, null, place, words.text()),
						words);
			}
		};
	}

	private MessagePart.Image image(SlackInbound.FileRef file) {
		String url = file.url();
		String mimetype = file.mimetype();
		if (url == null && file.id() != null) {
			File info = api.fileInfo(file.id());
			url = info.getUrlPrivateDownload() != null ? info.getUrlPrivateDownload() : info.getUrlPrivate();
			mimetype = info.getMimetype();
		}
		if (mimetype != null && !mimetype.toLowerCase(Locale.ROOT).startsWith("image/")) {
			throw new MediaRejected("it is " + mimetype + ".");
		}
		if (url == null) {
			throw new MediaRejected("Slack did not give me a link to it.");
		}
		MediaRef stored = media.store(api.download(url));
		return new MessagePart.Image(stored.sha256(), stored.mimeType(), stored.width(), stored.height());
	}

}
