package io.switchboard.channel.slack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.slack.api.model.File;
import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Reply;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaRejected;
import io.switchboard.media.MediaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers messages: a question in a channel (or one that mentions the bot, as the channel
 * is configured) in a thread under it, a reply in that thread in the same session, and
 * every message in a DM in its own thread. Images shared with a question are downloaded
 * with the bot token and go to the model with the text.
 */
final class SlackMessages {

	static final String PLATFORM = "slack";

	private static final Logger log = LoggerFactory.getLogger(SlackMessages.class);

	private final SlackApi api;

	private final SlackStore store;

	private final Assistant assistant;

	private final Conversations conversations;

	private final MediaStore media;

	private final SlackProperties properties;

	SlackMessages(SlackApi api, SlackStore store, Assistant assistant, Conversations conversations, MediaStore media,
			SlackProperties properties) {
		this.api = api;
		this.store = store;
		this.assistant = assistant;
		this.conversations = conversations;
		this.media = media;
		this.properties = properties;
	}

	void handle(String eventId, SlackInbound.Message message) {
		SlackApi.BotIdentity bot = api.identity();
		if (message.user() == null || message.botId() != null || message.user().equals(bot.userId())) {
			return; // bots, including this one, are never answered
		}
		String threadTs = message.threadTs() != null ? message.threadTs() : message.ts();
		if (!shouldAnswer(message, bot, threadTs)) {
			return;
		}
		SlackStore.Claim claim = store.claim(message.channel(), message.ts(), threadTs, eventId);
		if (claim instanceof SlackStore.Claim.Duplicate) {
			log.debug("message {} in {} is answered already", message.ts(), message.channel());
			return;
		}
		String reusable = claim instanceof SlackStore.Claim.Resumed(String replyTs) ? replyTs : null;
		ThreadReply reply = new ThreadReply(api, message.channel(), threadTs, properties.updateInterval(), reusable,
				ts -> store.replyPosted(message.channel(), message.ts(), ts));

		List<MessagePart> parts = new ArrayList<>();
		String text = SlackText.plain(message.text(), bot.userId());
		if (!text.isEmpty()) {
			parts.add(new MessagePart.Text(text));
		}
		for (SlackInbound.FileRef file : message.files()) {
			try {
				parts.add(image(file));
			}
			catch (MediaRejected | SlackApi.TooLarge rejected) {
				String reason = rejected instanceof MediaRejected ? rejected.getMessage() : "It is too large.";
				reply.accept(new ReplyEvent.Notice(Reply.of("I can only read images (PNG, JPEG, GIF or WebP) up to "
						+ "the size limit, and **" + (file.name() == null ? "the file" : file.name())
						+ "** is not one I can use: " + reason + " Nothing was sent to the model.")));
				store.completed(message.channel(), message.ts());
				return;
			}
		}
		if (parts.isEmpty()) {
			parts.add(new MessagePart.Text(""));
		}
		PlaceKind kind = message.direct() ? PlaceKind.DIRECT : PlaceKind.GROUP;
		Place place = new Place(PLATFORM, kind, message.channel(), threadTs);
		PlatformUserId sender = new PlatformUserId(PLATFORM, message.user());
		String name = conversations.findUser(sender).isPresent() ? null : api.displayName(message.user()).orElse(null);
		assistant.handle(new InboundMessage(sender, name, place, parts, null), reply);
		store.completed(message.channel(), message.ts());
	}

	private boolean shouldAnswer(SlackInbound.Message message, SlackApi.BotIdentity bot, String threadTs) {
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
			return mentioned || store.answeredInThread(message.channel(), message.threadTs());
		}
		return respond == SlackProperties.Respond.ALL || mentioned;
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
