package io.switchboard.channel.slack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.element.BlockElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.assistant.Reply;
import io.switchboard.channel.ChannelRenderer;
import io.switchboard.channel.LiveAnswer;
import io.switchboard.channel.Outbound;
import io.switchboard.channel.Outgoing;
import io.switchboard.channel.Sent;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.image.ImageAction;
import io.switchboard.image.ImageJob;
import io.switchboard.image.ImageOrigin;
import io.switchboard.image.JobKind;
import io.switchboard.image.JobState;
import io.switchboard.llm.FinishReason;
import io.switchboard.media.Media;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaStore;

/**
 * Shows deliveries in Slack. An answer takes over the messages its live view posted and
 * edits them to the finished text (continuing in further replies past one message's
 * length); command replies are replies in the thread with their actions as Block Kit
 * buttons, or visible only to their asker through a {@code response_url}. An image job
 * has a status message in its thread, edited as the job goes; when it succeeds, the image
 * (the 2x2 grid of four candidates, or the upscale) is uploaded into the thread with its
 * buttons (U1-U4, V1-V4 and reroll under candidates, Vary (Strong) and Vary (Subtle)
 * under an upscale). A comic's strip is uploaded where {@code /comic} was sent. Uploading
 * rather than linking works in Socket Mode too, where this server may have no public URL.
 * What each step posted is kept as it goes, so a repeat never posts it again.
 */
final class SlackRenderer implements ChannelRenderer<SlackAddress, SlackRefs> {

	private static final Logger log = LoggerFactory.getLogger(SlackRenderer.class);

	/** Characters per message: Slack shows up to about 4000 before it folds a message. */
	static final int MESSAGE_MAX = 3500;

	/** Attempts at a call when Slack asks to slow down, within one send. */
	private static final int PATIENCE = 4;

	private final SlackApi api;

	private final MediaStore media;

	private final SlackProperties properties;

	SlackRenderer(SlackApi api, MediaStore media, SlackProperties properties) {
		this.api = api;
		this.media = media;
		this.properties = properties;
	}

	@Override
	public String platform() {
		return SlackMessages.PLATFORM;
	}

	@Override
	public Class<SlackAddress> addressType() {
		return SlackAddress.class;
	}

	@Override
	public Class<SlackRefs> refsType() {
		return SlackRefs.class;
	}

	@Override
	public String lane(SlackAddress address) {
		return address.lane();
	}

	@Override
	public Optional<SlackAddress> addressFor(ImageOrigin origin) {
		Place place = origin.place();
		return place.space() == null ? Optional.empty()
				: Optional.of(new SlackAddress.Thread(place.space(), place.thread()));
	}

	@Override
	public LiveAnswer live(SlackAddress address, SlackRefs refs, Consumer<SlackRefs> saveRefs) {
		return address instanceof SlackAddress.Thread thread
				? new SlackLiveAnswer(api, thread, refs, properties.updateInterval(), saveRefs) : LiveAnswer.QUIET;
	}

	@Override
	public Sent<SlackRefs> send(Outgoing<SlackAddress, SlackRefs> outgoing) {
		return switch (outgoing.address()) {
			case SlackAddress.Respond respond -> {
				respond(respond, outgoing.content());
				yield new Sent<>(null, null);
			}
			case SlackAddress.Thread thread -> {
				SlackRefs refs = outgoing.refs() == null ? SlackRefs.none(thread.thread()) : outgoing.refs();
				yield switch (outgoing.content()) {
					case Outbound.Answer answer -> {
						SlackRefs shown = showInMessages(thread, refs, answerText(answer), outgoing.checkpoint());
						yield new Sent<>(spoken(thread.channel(), shown, answer, outgoing.checkpoint()), null);
					}
					case Outbound.Notices notices ->
						new Sent<>(notices(thread, refs, notices, outgoing.checkpoint()), null);
					case Outbound.Image image -> image(thread, refs, image.job(), outgoing);
					case Outbound.Comic comic -> {
						comic(thread, comic);
						yield new Sent<>(refs, null);
					}
				};
			}
		};
	}

	// ---------------------------------------------------------------- answers

	private static String answerText(Outbound.Answer answer) {
		StoredMessage stored = answer.exchange().answer();
		if (!stored.answered()) {
			return ":warning: " + SlackMarkdown.escape(stored.note());
		}
		String text = SlackMarkdown.toMrkdwn(stored.text());
		if (text.isBlank()) {
			text = "_(The model gave an empty answer.)_";
		}
		if (stored.answer() != null && FinishReason.LENGTH.name().equalsIgnoreCase(stored.answer().finishReason())) {
			text += "\n\n_The answer was cut off at its length limit._";
		}
		if (answer.demo()) {
			text += "\n\n_Demo model (" + stored.answer().model() + "): not a real AI answer._";
		}
		return text;
	}

	/**
	 * Shows a text in the messages {@code refs} names (edited in place), posting the
	 * parts that have none yet; each message posted is kept at once.
	 */
	private SlackRefs showInMessages(SlackAddress.Thread thread, SlackRefs refs, String text,
			Consumer<SlackRefs> checkpoint) {
		List<String> parts = SlackMarkdown.split(text, MESSAGE_MAX);
		for (int i = 0; i < parts.size(); i++) {
			String part = parts.get(i);
			if (i < refs.messages().size()) {
				String ts = refs.messages().get(i);
				patiently(() -> {
					api.updateMessage(thread.channel(), ts, part, null);
					return ts;
				});
			}
			else {
				SlackRefs before = refs;
				refs = before.with(patiently(() -> api.postMessage(thread.channel(), before.thread(), part, null)));
				checkpoint.accept(refs);
			}
		}
		// parts the live view posted beyond the final text (it was longer mid-stream)
		for (int i = parts.size(); i < refs.messages().size(); i++) {
			String ts = refs.messages().get(i);
			patiently(() -> {
				api.updateMessage(thread.channel(), ts, "…", null);
				return ts;
			});
		}
		return refs;
	}

	/**
	 * The answer spoken (/user voice on): its pieces uploaded into the thread, each kept
	 * at once, so that a repeat uploads only the pieces not yet there.
	 */
	private SlackRefs spoken(String channel, SlackRefs refs, Outbound.Answer answer, Consumer<SlackRefs> checkpoint) {
		for (int i = refs.spoken().size(); i < answer.speech().size(); i++) {
			io.switchboard.voice.Spoken piece = answer.speech().get(i);
			String thread = refs.thread();
			refs = refs.spokenAs(patiently(() -> api.uploadImage(channel, thread, piece.bytes(), piece.fileName(),
					"The answer, spoken", null)));
			checkpoint.accept(refs);
		}
		return refs;
	}

	/** Each reply its own message(s), its actions as buttons under its last part. */
	private SlackRefs notices(SlackAddress.Thread thread, SlackRefs refs, Outbound.Notices notices,
			Consumer<SlackRefs> checkpoint) {
		int posted = 0;
		for (Reply reply : notices.replies()) {
			String text = SlackMarkdown.toMrkdwn(reply.text());
			List<String> parts = SlackMarkdown.split(text, MESSAGE_MAX);
			for (int i = 0; i < parts.size(); i++, posted++) {
				if (posted < refs.messages().size()) {
					continue; // posted by an attempt before this one
				}
				String part = parts.get(i);
				List<LayoutBlock> blocks = i == parts.size() - 1 ? SlackBlocks.reply(part, reply.actions()) : null;
				SlackRefs before = refs;
				refs = before.with(patiently(() -> api.postMessage(thread.channel(), before.thread(), part, blocks)));
				checkpoint.accept(refs);
			}
		}
		return refs;
	}

	/** Only the asker sees it; Slack takes no edits through a response URL. */
	private void respond(SlackAddress.Respond respond, Outbound content) {
		List<Reply> replies = switch (content) {
			case Outbound.Notices notices -> notices.replies();
			case Outbound.Answer answer -> List.of(Reply.of(answer.exchange().answer().answered()
					? answer.exchange().answer().text() : "⚠️ " + answer.exchange().answer().note()));
			default -> List.of();
		};
		for (Reply reply : replies) {
			String text = SlackMarkdown.toMrkdwn(reply.text());
			List<String> parts = SlackMarkdown.split(text, MESSAGE_MAX);
			for (int i = 0; i < parts.size(); i++) {
				String part = parts.get(i);
				List<LayoutBlock> blocks = i == parts.size() - 1 ? SlackBlocks.reply(part, reply.actions()) : null;
				patiently(() -> {
					api.respond(respond.url(), part, blocks);
					return null;
				});
			}
		}
	}

	// ------------------------------------------------------------- image jobs

	private Sent<SlackRefs> image(SlackAddress.Thread thread, SlackRefs refs, ImageJob job,
			Outgoing<SlackAddress, SlackRefs> outgoing) {
		String shown = shown(job);
		if (refs.messages().isEmpty()) {
			String ts = patiently(() -> api.postMessage(thread.channel(), thread.thread(), status(job), null));
			// a job asked for outside a thread starts one with its status message
			refs = refs.with(ts).inThread(thread.thread() != null ? thread.thread() : ts);
			outgoing.checkpoint().accept(refs);
			if (job.state() != JobState.SUCCEEDED) {
				return new Sent<>(refs, shown);
			}
		}
		else if (shown.equals(outgoing.shown()) && job.state() != JobState.SUCCEEDED) {
			return new Sent<>(refs, shown);
		}
		String status = refs.messages().getFirst();
		if (job.state() == JobState.SUCCEEDED) {
			refs = result(thread.channel(), refs, job, outgoing.checkpoint());
		}
		patiently(() -> {
			api.updateMessage(thread.channel(), status, status(job), null);
			return status;
		});
		return new Sent<>(refs, shown);
	}

	/** The image, then its buttons: each step once. */
	private SlackRefs result(String channel, SlackRefs refs, ImageJob job, Consumer<SlackRefs> checkpoint) {
		if (refs.steps() < 1) {
			MediaRef image = job.kind().producesCandidates() ? job.grid()
					: job.candidates().isEmpty() ? null : job.candidates().getFirst().image();
			if (image == null) {
				throw new IllegalStateException("job " + job.id() + " succeeded without an image");
			}
			byte[] bytes = media.load(image.sha256())
				.map(Media::bytes)
				.orElseThrow(() -> new IllegalStateException("image " + image.sha256() + " is not stored"));
			String extension = image.mimeType().substring(image.mimeType().indexOf('/') + 1);
			String thread = refs.thread();
			patiently(() -> api.uploadImage(channel, thread, bytes,
					"image-" + job.id().value() + "." + ("jpeg".equals(extension) ? "jpg" : extension), title(job),
					caption(job)));
			refs = refs.step();
			checkpoint.accept(refs);
		}
		if (refs.steps() < 2) {
			String thread = refs.thread();
			refs = refs.with(patiently(() -> api.postMessage(channel, thread, actionsText(job), buttons(job)))).step();
			checkpoint.accept(refs);
		}
		return refs;
	}

	/** What a job's status message shows: its state, and how far a running job is. */
	static String shown(ImageJob job) {
		return job.state() == JobState.RUNNING ? job.state() + ":" + job.progress() : job.state().name();
	}

	static List<LayoutBlock> buttons(ImageJob job) {
		List<LayoutBlock> blocks = new ArrayList<>();
		blocks.add(SlackBlocks.section(actionsText(job)));
		List<BlockElement> row = new ArrayList<>();
		char group = 0;
		for (ImageAction action : job.actions()) {
			char kind = action.code().charAt(0);
			if (!row.isEmpty() && (kind != group || row.size() == 5)) {
				blocks.add(ActionsBlock.builder().elements(row).build());
				row = new ArrayList<>();
			}
			group = kind;
			row.add(SlackBlocks.button(SlackBolt.IMAGE_ACTION + action.code() + "-" + job.id().value(), action.label(),
					job.id().value() + ":" + action.code(),
					action instanceof ImageAction.Upscale ? Reply.Style.PRIMARY : Reply.Style.NORMAL));
		}
		if (!row.isEmpty()) {
			blocks.add(ActionsBlock.builder().elements(row).build());
		}
		return blocks;
	}

	private static String actionsText(ImageJob job) {
		return job.kind().producesCandidates()
				? "Image " + job.id() + ": *U* upscales a candidate, *V* varies it, 🔄 draws four new ones."
				: "Image " + job.id() + ": vary this image strongly or subtly.";
	}

	private static String status(ImageJob job) {
		String what = SlackMarkdown.escape(title(job));
		return switch (job.state()) {
			case QUEUED -> ":hourglass_flowing_sand: " + what + " is waiting for its turn…";
			case SUBMITTED -> ":hourglass_flowing_sand: " + what + " has been sent to " + job.provider() + "…";
			case RUNNING -> ":art: " + what + " is being drawn… " + job.progress() + "%";
			case SUCCEEDED -> ":white_check_mark: " + what + " is done.";
			case FAILED -> ":warning: " + what + " failed: "
					+ SlackMarkdown.escape(job.failureReason() == null ? "no reason given" : job.failureReason());
			case CANCELLED -> ":no_entry_sign: " + what + " was cancelled.";
		};
	}

	private static String title(ImageJob job) {
		String prompt = job.prompt() == null ? "" : job.prompt();
		prompt = prompt.length() > 120 ? prompt.substring(0, 119) + "…" : prompt;
		String kind = switch (job.kind()) {
			case ORIGIN -> "";
			case UPSCALE -> "upscale of ";
			case VARY_STRONG -> "strong variation of ";
			case VARY_SUBTLE -> "subtle variation of ";
			case REROLL -> "reroll of ";
		};
		String source = job.parent() == null ? ""
				: " (" + kind + job.parent() + (job.parentIndex() == null ? "" : " #" + job.parentIndex()) + ")";
		return "Image " + job.id() + " “" + prompt + "”" + source;
	}

	private static String caption(ImageJob job) {
		return job.kind() == JobKind.UPSCALE ? title(job) : title(job) + " — candidates 1 2 (top) and 3 4 (bottom)";
	}

	// ----------------------------------------------------------------- comics

	private void comic(SlackAddress.Thread thread, Outbound.Comic comic) {
		String id = comic.comic().toString();
		if (!comic.finished()) {
			patiently(() -> api.postMessage(thread.channel(), thread.thread(),
					":warning: Comic " + id + " could not be made: " + SlackMarkdown.escape(comic.failure()), null));
			return;
		}
		String title = comic.title() == null ? "" : comic.title();
		byte[] strip = comic.stripSha256() == null ? null
				: media.load(comic.stripSha256()).map(Media::bytes).orElse(null);
		if (strip == null) {
			log.warn("the strip of comic {} is not stored; telling its title only", id);
			patiently(() -> api.postMessage(thread.channel(), thread.thread(),
					":frame_with_picture: *" + SlackMarkdown.escape(title) + "* (comic " + id
							+ ") is finished, but its strip is missing here: open it under *Comics* on the web page.",
					null));
			return;
		}
		patiently(() -> api.uploadImage(thread.channel(), thread.thread(), strip, "comic-" + comic.comic()
			.value() + ".png", title, ":frame_with_picture: *" + SlackMarkdown.escape(title) + "* — comic " + id
					+ " is ready. "
					+ "It is also in your gallery under *Comics* on the web page, where every step can be edited."));
	}

	// ----------------------------------------------------------------- calls

	/**
	 * A call, again when Slack asks to slow down (as long as it asks, a few times); any
	 * other failure goes to the pipeline, which tries the delivery again later.
	 */
	private static <T> T patiently(Supplier<T> call) {
		for (int attempt = 1;; attempt++) {
			try {
				return call.get();
			}
			catch (SlackApi.RateLimited slowDown) {
				if (attempt == PATIENCE) {
					throw slowDown;
				}
				sleep(slowDown.retryAfter());
			}
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new SlackApi.Failed("sleep", "interrupted");
		}
	}

}
