package io.switchboard.channel.discord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.components.ActionRow;
import net.dv8tion.jda.api.interactions.components.buttons.Button;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.requests.restaction.MessageCreateAction;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.assistant.Reply;
import io.switchboard.channel.ChannelRenderer;
import io.switchboard.channel.DeliveryRefused;
import io.switchboard.channel.LiveAnswer;
import io.switchboard.channel.Outbound;
import io.switchboard.channel.Outgoing;
import io.switchboard.channel.Sent;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.image.ImageAction;
import io.switchboard.image.ImageJob;
import io.switchboard.image.ImageOrigin;
import io.switchboard.image.JobKind;
import io.switchboard.image.JobState;
import io.switchboard.llm.FinishReason;
import io.switchboard.media.Media;
import io.switchboard.media.MediaLinks;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaStore;

import org.springframework.stereotype.Component;

/**
 * Shows deliveries on Discord, from the node that holds the gateway. An answer takes over
 * the replies its live view posted and edits them to the finished text (continuing in
 * further messages past 2,000 characters), then swaps ✍🏻 for 👌 on the question; command
 * replies are replies with their actions as buttons, or private through the interaction
 * that asked. Each image job has one message in the channel it was asked in, edited as it
 * goes (waiting, progress, then the grid with U1-U4, V1-V4 and reroll, or the upscale
 * with Vary (Strong) and Vary (Subtle), or the reason it failed). A comic is posted with
 * its strip. New messages carry a nonce Discord enforces, and what was posted is kept as
 * it goes, so a repeated send edits instead of posting twice.
 */
@Component
class DiscordRenderer implements ChannelRenderer<DiscordAddress, DiscordRefs> {

	private static final Logger log = LoggerFactory.getLogger(DiscordRenderer.class);

	private static final String DEMO_PROVIDER = "demo";

	/** The text of the message that carries a spoken answer's files. */
	static final String SPOKEN = "🔊";

	private final DiscordGateway gateway;

	private final AnswerLog answers;

	private final MediaStore media;

	private final MediaLinks links;

	private final DiscordProperties properties;

	DiscordRenderer(DiscordGateway gateway, AnswerLog answers, MediaStore media, MediaLinks links,
			DiscordProperties properties) {
		this.gateway = gateway;
		this.answers = answers;
		this.media = media;
		this.links = links;
		this.properties = properties;
	}

	@Override
	public String platform() {
		return Discord.PLATFORM;
	}

	@Override
	public Class<DiscordAddress> addressType() {
		return DiscordAddress.class;
	}

	@Override
	public Class<DiscordRefs> refsType() {
		return DiscordRefs.class;
	}

	@Override
	public String lane(DiscordAddress address) {
		return address.lane();
	}

	/** Only the node holding the gateway reaches Discord. */
	@Override
	public boolean ready() {
		return !gateway.connected().isEmpty();
	}

	@Override
	public Duration progressInterval() {
		return properties.imageProgressInterval();
	}

	@Override
	public Optional<DiscordAddress> addressFor(ImageOrigin origin) {
		return Optional.of(new DiscordAddress.Channel(Discord.channelId(origin.place()), null,
				origin.place().kind() == PlaceKind.DIRECT ? origin.requester().id() : null));
	}

	@Override
	public LiveAnswer live(DiscordAddress address, DiscordRefs refs, Consumer<DiscordRefs> saveRefs) {
		if (!(address instanceof DiscordAddress.Channel channel) || channel.replyTo() == null) {
			return LiveAnswer.QUIET;
		}
		return gateway.channel(channel.channel(), channel.dmUser())
			.<LiveAnswer>map(
					found -> new DiscordLiveAnswer(found, channel.replyTo(), refs, properties.editInterval(), saveRefs))
			.orElse(LiveAnswer.QUIET);
	}

	@Override
	public Sent<DiscordRefs> send(Outgoing<DiscordAddress, DiscordRefs> outgoing) {
		DiscordRefs refs = outgoing.refs() == null ? DiscordRefs.NONE : outgoing.refs();
		try {
			return switch (outgoing.address()) {
				case DiscordAddress.Interaction interaction ->
					new Sent<>(interaction(interaction, refs, outgoing.content(), outgoing.checkpoint()), null);
				case DiscordAddress.Channel channel -> {
					MessageChannel target = gateway.channel(channel.channel(), channel.dmUser())
						.orElseThrow(() -> new DeliveryRefused("Discord channel " + channel.channel()
								+ " is not reachable by the bot (removed, or no access)"));
					yield switch (outgoing.content()) {
						case Outbound.Answer answer -> new Sent<>(
								answer(target, channel, refs, answer, outgoing.id(), outgoing.checkpoint()), null);
						case Outbound.Notices notices ->
							new Sent<>(notices(target, channel, refs, notices, outgoing), null);
						case Outbound.Image image -> image(target, refs, image.job(), outgoing);
						case Outbound.Comic comic -> new Sent<>(comic(target, refs, comic, outgoing), null);
					};
				}
			};
		}
		catch (ErrorResponseException refused) {
			if (refused.isServerError()) {
				throw refused;
			}
			if (outgoing.address() instanceof DiscordAddress.Interaction
					&& refused.getErrorResponse() == ErrorResponse.UNKNOWN_WEBHOOK) {
				// the interaction's acknowledgement is sent without waiting for it, and
				// an answer that is quicker than it is refused as an unknown webhook:
				// tried again (an interaction that really expired is given up after the
				// delivery's attempts)
				throw refused;
			}
			// missing access, unknown channel, an expired interaction: refused again next
			// time
			throw new DeliveryRefused("Discord refused it: " + refused.getMeaning(), refused);
		}
	}

	// ---------------------------------------------------------------- answers

	private DiscordRefs answer(MessageChannel channel, DiscordAddress.Channel address, DiscordRefs refs,
			Outbound.Answer answer, long delivery, Consumer<DiscordRefs> checkpoint) {
		StoredMessage stored = answer.exchange().answer();
		boolean answered = stored.answered();
		refs = show(channel, address.replyTo(), refs, answerText(answer), checkpoint);
		if (answered) {
			for (long message : refs.messages()) {
				answers.record(message, answer.exchange().session().id());
			}
		}
		if (!answer.speech().isEmpty() && refs.spoken() == null) {
			// the answer spoken (/user voice on): its pieces as audio files under the
			// text, once (kept at once; the nonce covers a post whose answer was lost)
			List<FileUpload> files = spokenFiles(answer);
			if (!files.isEmpty()) {
				Message spoken = channel
					.sendMessage(new MessageCreateBuilder().setAllowedMentions(Discord.NO_MENTIONS)
						.setContent(SPOKEN)
						.setFiles(files)
						.build())
					.setNonce("s" + delivery)
					.complete();
				refs = refs.spokenIn(spoken.getIdLong());
				checkpoint.accept(refs);
			}
		}
		if (address.replyTo() != null && !refs.done()) {
			swapReactions(channel, address.replyTo(), answered);
			refs = refs.finished();
		}
		return refs;
	}

	/** The spoken pieces Discord takes from a bot (at most its file size each). */
	private static List<FileUpload> spokenFiles(Outbound.Answer answer) {
		return answer.speech()
			.stream()
			.filter(piece -> piece.bytes().length <= Message.MAX_FILE_SIZE)
			.map(piece -> FileUpload.fromData(piece.bytes(), piece.fileName()))
			.toList();
	}

	private static String answerText(Outbound.Answer answer) {
		StoredMessage stored = answer.exchange().answer();
		if (!stored.answered()) {
			return "⚠️ " + stored.note();
		}
		StringBuilder text = new StringBuilder(
				stored.text().isBlank() ? "*(The model returned an empty answer.)*" : stored.text());
		if (stored.answer() != null && FinishReason.LENGTH.name().equalsIgnoreCase(stored.answer().finishReason())) {
			text.append("\n\n-# The answer was cut off at its length limit.");
		}
		if (answer.demo()) {
			text.append("\n\n-# Answered by the demo model, not a real AI.");
		}
		return text.toString();
	}

	/**
	 * Shows a text in the messages {@code refs} names (edited in place), posting the
	 * parts that have none yet; each message posted is kept at once.
	 */
	private DiscordRefs show(MessageChannel channel, Long replyTo, DiscordRefs refs, String text,
			Consumer<DiscordRefs> checkpoint) {
		List<String> chunks = MessageSplitter.split(text);
		for (int i = 0; i < chunks.size(); i++) {
			if (i < refs.messages().size()) {
				channel.editMessageById(refs.messages().get(i), chunks.get(i))
					.setAllowedMentions(Discord.NO_MENTIONS)
					.setComponents()
					.complete();
			}
			else {
				MessageCreateAction create = replyTo != null ? answerPart(channel, replyTo, i, chunks.get(i))
						: channel.sendMessage(chunks.get(i)).setAllowedMentions(Discord.NO_MENTIONS);
				refs = refs.with(create.complete().getIdLong());
				checkpoint.accept(refs);
			}
		}
		// parts the live view posted beyond the final text (it was longer mid-stream)
		for (int i = chunks.size(); i < refs.messages().size(); i++) {
			channel.editMessageById(refs.messages().get(i), "…").complete();
		}
		return refs;
	}

	/**
	 * One part of an answer to a question: the first a reply to it, the others in the
	 * channel; each with a nonce made of the question and the part, which Discord
	 * enforces, so the live view and the delivery never both post it.
	 */
	static MessageCreateAction answerPart(MessageChannel channel, long question, int part, String text) {
		MessageCreateAction create = channel.sendMessage(text).setAllowedMentions(Discord.NO_MENTIONS);
		if (part == 0) {
			create = create.setMessageReference(question).mentionRepliedUser(false).failOnInvalidReply(false);
		}
		return create.setNonce("q" + question + "-" + part);
	}

	/** Takes ✍🏻 off and, for a complete answer, puts 👌 on: in that order. */
	private static void swapReactions(MessageChannel channel, long question, boolean done) {
		try {
			channel.removeReactionById(question, Discord.WRITING).complete();
			if (done) {
				channel.addReactionById(question, Discord.DONE).complete();
			}
		}
		catch (ErrorResponseException failure) {
			if (failure.isServerError()) {
				// Discord failed for now: the delivery is tried again (it edits what it
				// posted and posts nothing twice), so ✍🏻 is not left behind
				throw failure;
			}
			// the question may be gone, or reactions not allowed here: the answer stands
			log.debug("could not update the reactions of message {}: {}", question, failure.toString());
		}
		catch (RuntimeException failure) {
			// the question may be gone, or reactions not allowed here: the answer stands
			log.debug("could not update the reactions of message {}: {}", question, failure.toString());
		}
	}

	// ---------------------------------------------------------------- notices

	private DiscordRefs notices(MessageChannel channel, DiscordAddress.Channel address, DiscordRefs refs,
			Outbound.Notices notices, Outgoing<DiscordAddress, DiscordRefs> outgoing) {
		int posted = 0;
		for (Reply reply : notices.replies()) {
			List<String> chunks = MessageSplitter.split(reply.text());
			List<ActionRow> rows = Discord.buttons(reply.actions());
			for (int i = 0; i < chunks.size(); i++, posted++) {
				if (posted < refs.messages().size()) {
					continue; // posted by an attempt before this one
				}
				MessageCreateAction send = posted == 0 && address.replyTo() != null ? channel.sendMessage(chunks.get(i))
					.setMessageReference(address.replyTo())
					.mentionRepliedUser(false)
					.failOnInvalidReply(false) : channel.sendMessage(chunks.get(i));
				if (i == chunks.size() - 1 && !rows.isEmpty()) {
					send.setComponents(rows);
				}
				Message sent = send.setAllowedMentions(Discord.NO_MENTIONS)
					.setNonce("d" + outgoing.id() + "-" + posted)
					.complete();
				refs = refs.with(sent.getIdLong());
				outgoing.checkpoint().accept(refs);
			}
		}
		return refs;
	}

	/**
	 * Private answers through an interaction: the first part replaces a deferred reply's
	 * "thinking…", the others follow up, all visible to the asker only.
	 */
	private DiscordRefs interaction(DiscordAddress.Interaction address, DiscordRefs refs, Outbound content,
			Consumer<DiscordRefs> checkpoint) {
		List<Reply> replies = switch (content) {
			case Outbound.Notices notices -> notices.replies();
			case Outbound.Answer answer -> List.of(Reply.of(answerText(answer)));
			default -> List.of();
		};
		JDA jda = gateway.connected().getFirst();
		InteractionHook hook = InteractionHook.from(jda, address.token());
		int posted = 0;
		if (replies.isEmpty() && address.deferredReply() && refs.messages().isEmpty()) {
			hook.editOriginal("Done.").complete();
			return refs.with(0);
		}
		for (Reply reply : replies) {
			List<String> chunks = MessageSplitter.split(reply.text());
			List<ActionRow> rows = Discord.buttons(reply.actions());
			for (int i = 0; i < chunks.size(); i++, posted++) {
				if (posted < refs.messages().size()) {
					continue;
				}
				List<ActionRow> components = i == chunks.size() - 1 ? rows : List.of();
				long id;
				if (posted == 0 && address.deferredReply()) {
					id = hook
						.editOriginal(new MessageEditBuilder().setContent(chunks.get(i))
							.setComponents(components)
							.setAllowedMentions(Discord.NO_MENTIONS)
							.build())
						.complete()
						.getIdLong();
				}
				else {
					id = hook.sendMessage(chunks.get(i))
						.setEphemeral(true)
						.setComponents(components)
						.setAllowedMentions(Discord.NO_MENTIONS)
						.complete()
						.getIdLong();
				}
				refs = refs.with(id);
				checkpoint.accept(refs);
			}
		}
		if (content instanceof Outbound.Answer answer && !answer.speech().isEmpty() && refs.spoken() == null) {
			// the answer spoken (/user voice on): its files on a private follow-up under
			// the text, once
			List<FileUpload> files = spokenFiles(answer);
			if (!files.isEmpty()) {
				long id = hook.sendMessage(SPOKEN)
					.setFiles(files)
					.setEphemeral(true)
					.setAllowedMentions(Discord.NO_MENTIONS)
					.complete()
					.getIdLong();
				refs = refs.spokenIn(id);
				checkpoint.accept(refs);
			}
		}
		return refs;
	}

	// ------------------------------------------------------------- image jobs

	private Sent<DiscordRefs> image(MessageChannel channel, DiscordRefs refs, ImageJob job,
			Outgoing<DiscordAddress, DiscordRefs> outgoing) {
		String shown = shown(job);
		if (refs.messages().isEmpty()) {
			MessageCreateBuilder create = new MessageCreateBuilder().setContent(text(job))
				.setComponents(buttons(job))
				.setFiles(files(job))
				.setAllowedMentions(Discord.NO_MENTIONS);
			Message created = channel.sendMessage(create.build()).setNonce("d" + outgoing.id()).complete();
			return new Sent<>(refs.with(created.getIdLong()), shown);
		}
		if (shown.equals(outgoing.shown())) {
			return new Sent<>(refs, shown);
		}
		MessageEditBuilder edit = new MessageEditBuilder().setContent(text(job))
			.setComponents(buttons(job))
			.setAllowedMentions(Discord.NO_MENTIONS);
		List<FileUpload> files = files(job);
		if (!files.isEmpty()) {
			edit.setFiles(files);
		}
		try {
			channel.editMessageById(refs.messages().getFirst(), edit.build()).complete();
		}
		catch (ErrorResponseException gone) {
			if (gone.getErrorResponse() != ErrorResponse.UNKNOWN_MESSAGE) {
				throw gone;
			}
			// someone deleted the job's message: show it afresh
			Message created = channel.sendMessage(MessageCreateBuilder.fromEditData(edit.build()).build()).complete();
			return new Sent<>(refs.replace(0, created.getIdLong()), shown);
		}
		return new Sent<>(refs, shown);
	}

	/** What a job's message shows: its state, and how far a running job is. */
	static String shown(ImageJob job) {
		return job.state() == JobState.RUNNING ? job.state() + ":" + job.progress() : job.state().name();
	}

	static String text(ImageJob job) {
		StringBuilder text = new StringBuilder("**").append(Discord.abbreviate(job.prompt(), 1200).replace("*", "\\*"))
			.append("** — ");
		String parent = job.parent() == null ? "" : String.valueOf(job.parent());
		String candidate = job.parentIndex() == null ? "" : " candidate " + job.parentIndex();
		text.append(switch (job.kind()) {
			case ORIGIN -> "";
			case UPSCALE -> "Upscaled (image " + parent + candidate + ") ";
			case VARY_STRONG -> "Variations (Strong) of image " + parent + candidate + " ";
			case VARY_SUBTLE -> "Variations (Subtle) of image " + parent + candidate + " ";
			case REROLL -> "Rerolled from image " + parent + " ";
		});
		text.append("<@").append(job.origin().requester().id()).append('>');
		switch (job.state()) {
			case QUEUED -> text.append(" (waiting to start)");
			case SUBMITTED -> text.append(" (starting)");
			case RUNNING -> text.append(" (").append(job.progress()).append("%)\n").append(bar(job.progress()));
			case SUCCEEDED -> {
			}
			case FAILED -> text.append("\n⚠️ ")
				.append(job.failureReason() == null ? "The image could not be made." : job.failureReason());
			case CANCELLED -> text.append("\nCancelled.");
		}
		text.append("\n-# Image ").append(job.id());
		if (DEMO_PROVIDER.equals(job.provider())) {
			text.append(" · drawn by the demo provider, not a real model");
		}
		return text.toString();
	}

	private static String bar(int progress) {
		int filled = Math.clamp(progress / 10, 0, 10);
		return "▰".repeat(filled) + "▱".repeat(10 - filled);
	}

	/**
	 * U1-U4 and V1-V4 and reroll under candidates; Vary (Strong) and (Subtle) under an
	 * upscale.
	 */
	static List<ActionRow> buttons(ImageJob job) {
		List<ImageAction> actions = job.actions();
		if (actions.isEmpty()) {
			return List.of();
		}
		List<Button> upscales = new ArrayList<>();
		List<Button> others = new ArrayList<>();
		for (ImageAction action : actions) {
			String id = CustomIds.image(job.id().value(), action.code());
			(action instanceof ImageAction.Upscale ? upscales : others).add(Button.secondary(id, action.label()));
		}
		List<ActionRow> rows = new ArrayList<>();
		if (!upscales.isEmpty()) {
			rows.add(ActionRow.of(upscales));
		}
		rows.addAll(ActionRow.partitionOf(others));
		return rows;
	}

	private List<FileUpload> files(ImageJob job) {
		if (job.state() != JobState.SUCCEEDED) {
			return List.of();
		}
		MediaRef image = job.kind() == JobKind.UPSCALE || job.grid() == null
				? job.candidates().isEmpty() ? null : job.candidates().getFirst().image() : job.grid();
		if (image == null) {
			return List.of();
		}
		Optional<Media> stored = media.load(image.sha256());
		if (stored.isEmpty()) {
			return List.of();
		}
		String name = "image-" + job.id().value() + extension(image.mimeType());
		return List.of(FileUpload.fromData(stored.get().bytes(), name));
	}

	private static String extension(String mimeType) {
		return switch (mimeType == null ? "" : mimeType) {
			case "image/jpeg" -> ".jpg";
			case "image/webp" -> ".webp";
			case "image/gif" -> ".gif";
			default -> ".png";
		};
	}

	// ----------------------------------------------------------------- comics

	private DiscordRefs comic(MessageChannel channel, DiscordRefs refs, Outbound.Comic comic,
			Outgoing<DiscordAddress, DiscordRefs> outgoing) {
		if (!refs.messages().isEmpty()) {
			return refs;
		}
		String who = comic.requester() == null ? "" : " for <@" + comic.requester() + ">";
		String id = comic.comic().toString();
		MessageCreateBuilder message = new MessageCreateBuilder().setAllowedMentions(Discord.NO_MENTIONS);
		if (!comic.finished()) {
			message.setContent(
					"⚠️ Comic " + id + who + " could not be made: " + Discord.abbreviate(comic.failure(), 1500));
		}
		else {
			StringBuilder text = new StringBuilder("🖍️ **")
				.append(Discord.abbreviate(comic.title(), 200).replace("*", "\\*"))
				.append("** — comic ")
				.append(id)
				.append(who);
			Optional<Media> strip = Optional.ofNullable(comic.stripSha256()).flatMap(media::load);
			if (strip.isPresent() && strip.get().bytes().length <= Message.MAX_FILE_SIZE) {
				message.setFiles(
						List.of(FileUpload.fromData(strip.get().bytes(), "comic-" + comic.comic().value() + ".png")));
			}
			else if (strip.isPresent()) {
				// larger than Discord takes from a bot: a signed link to it instead
				text.append("\n").append(links.publicUrl(comic.stripSha256()));
			}
			else {
				text.append("\nThe strip is missing here: open the comic under Comics on the web page.");
			}
			text.append("\n-# Also in the gallery under Comics on the web page, where every step can be edited.");
			message.setContent(text.toString());
		}
		Message sent = channel.sendMessage(message.build()).setNonce("d" + outgoing.id()).complete();
		return refs.with(sent.getIdLong());
	}

}
