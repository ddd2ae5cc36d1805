package io.switchboard.channel.discord;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Reply;
import io.switchboard.channel.Inbound;
import io.switchboard.channel.Intake;
import io.switchboard.channel.Taken;
import io.switchboard.conversation.MessagePart;
import io.switchboard.media.MediaProperties;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaRejected;
import io.switchboard.media.MediaStore;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.MessageType;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The question-and-answer mode: every message a person writes where the bot can read it
 * (a server channel, a thread, a DM) is taken in by its id, stored, and answered in the
 * writer's session according to their state ({@code new} and {@code active} are answered,
 * {@code disabled} is not). Attached images are stored and sent with the text. A message
 * the gateway delivers again (after a resume) gets nothing new.
 */
@Component
class DiscordChat {

	private static final Logger log = LoggerFactory.getLogger(DiscordChat.class);

	private static final long DOWNLOAD_TIMEOUT_SECONDS = 30;

	private final Intake intake;

	private final MediaStore media;

	private final MediaProperties mediaProperties;

	private final ShardFences fences;

	DiscordChat(Intake intake, MediaStore media, MediaProperties mediaProperties, ShardFences fences) {
		this.fences = fences;
		this.intake = intake;
		this.media = media;
		this.mediaProperties = mediaProperties;
	}

	/**
	 * Takes a message in.
	 * @return how the intake took it, or empty when it was no message for the bot (a
	 * bot's, a system message, nothing to read) and was left alone
	 */
	Optional<Taken> onMessage(MessageReceivedEvent event) {
		Message message = event.getMessage();
		User author = event.getAuthor();
		if (author.isBot() || author.isSystem() || event.isWebhookMessage()
				|| (message.getType() != MessageType.DEFAULT && message.getType() != MessageType.INLINE_REPLY)) {
			return Optional.empty();
		}
		String key = "msg:" + message.getId();
		if (intake.seen(Discord.PLATFORM, key)) {
			log.debug("Discord delivered message {} again; already taken in", message.getId());
			return Optional.of(new Taken.Duplicate());
		}
		String text = withoutBotMention(message.getContentRaw(), event.getJDA().getSelfUser().getId());
		List<Message.Attachment> images = message.getAttachments().stream().filter(DiscordChat::isImage).toList();
		if (text.isBlank() && images.isEmpty()) {
			return Optional.empty();
		}
		DiscordAddress.Channel address = new DiscordAddress.Channel(event.getChannel().getIdLong(), message.getIdLong(),
				event.isFromGuild() ? null : author.getId());
		List<MessagePart> parts = new ArrayList<>();
		try {
			for (Message.Attachment image : images) {
				MediaRef stored = store(image);
				parts.add(new MessagePart.Image(stored.sha256(), stored.mimeType(), stored.width(), stored.height()));
			}
		}
		catch (MediaRejected rejected) {
			return Optional.of(intake.take(Inbound
				.replies(Discord.PLATFORM, key, address,
						List.of(Reply.of(rejected.getMessage() + " Nothing was sent to the model.")))
				.onAccepted(fences.guard(event.getJDA()))));
		}
		if (!text.isBlank()) {
			parts.add(new MessagePart.Text(text));
		}
		return Optional.of(intake.take(Inbound
			.message(Discord.PLATFORM, key, address,
					new InboundMessage(Discord.identity(author), Discord.displayName(author, event.getMember()),
							Discord.place(event.getChannel(), event.isFromGuild()), parts, null))
			.onAccepted(fences.guard(event.getJDA()))));
	}

	private MediaRef store(Message.Attachment attachment) {
		long max = mediaProperties.maxImageSize().toBytes();
		if (attachment.getSize() > max) {
			throw new MediaRejected("The image " + attachment.getFileName() + " is larger than "
					+ mediaProperties.maxImageSize().toMegabytes() + " MB.");
		}
		try (InputStream in = attachment.getProxy().download().get(DOWNLOAD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
			byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
			return media.store(bytes);
		}
		catch (IOException | ExecutionException | TimeoutException failed) {
			log.warn("could not download attachment {}: {}", attachment.getId(), failed.toString());
			throw new MediaRejected("The image " + attachment.getFileName() + " could not be downloaded from Discord.");
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new MediaRejected("The image " + attachment.getFileName() + " could not be downloaded from Discord.");
		}
	}

	private static boolean isImage(Message.Attachment attachment) {
		String type = attachment.getContentType();
		return type != null ? type.startsWith("image/") : attachment.isImage();
	}

	/**
	 * "@Bot what is ..." asks the bot; the mention itself is not part of the question.
	 */
	static String withoutBotMention(String content, String botId) {
		String text = content.strip();
		for (String mention : List.of("<@" + botId + ">", "<@!" + botId + ">")) {
			if (text.startsWith(mention)) {
				return text.substring(mention.length()).strip();
			}
		}
		return text;
	}

}
