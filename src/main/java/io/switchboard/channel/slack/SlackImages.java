package io.switchboard.channel.slack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.element.BlockElement;
import io.switchboard.assistant.Reply;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.image.ImageAction;
import io.switchboard.image.ImageJob;
import io.switchboard.image.ImageJobException;
import io.switchboard.image.ImageJobId;
import io.switchboard.image.ImageJobUpdated;
import io.switchboard.image.ImageJobs;
import io.switchboard.image.ImageOrigin;
import io.switchboard.image.JobKind;
import io.switchboard.image.JobState;
import io.switchboard.media.Media;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;

/**
 * Image jobs asked for in Slack. A job gets a status message at once (in its thread, or
 * in the channel for a slash command), updated as it progresses; when it succeeds, the
 * image (the 2x2 grid of four candidates, or the upscaled image) is uploaded into the
 * thread, followed by its Block Kit buttons: U1-U4, V1-V4 and reroll under candidates,
 * Vary (Strong) and Vary (Subtle) under an upscale. A button starts the next job in the
 * same thread. Uploading the image itself, rather than linking to it, works in Socket
 * Mode too, where this server may have no public URL.
 */
final class SlackImages {

	private static final Logger log = LoggerFactory.getLogger(SlackImages.class);

	/** Progress is shown no more often than this for one job. */
	private static final Duration PROGRESS_PACE = Duration.ofSeconds(2);

	private static final int DELIVERY_ATTEMPTS = 4;

	private final SlackApi api;

	private final SlackStore store;

	private final ImageJobs jobs;

	private final Conversations conversations;

	private final MediaStore media;

	private final Executor background;

	/** Updates of one job are rendered one after another, in order. */
	private final Map<Long, CompletableFuture<Void>> queues = new ConcurrentHashMap<>();

	/** What was last shown for each running job, and when. */
	private final Map<Long, Shown> shown = new ConcurrentHashMap<>();

	private record Shown(JobState state, int progress, long atNanos) {
	}

	SlackImages(SlackApi api, SlackStore store, ImageJobs jobs, Conversations conversations, MediaStore media,
			Executor background) {
		this.api = api;
		this.store = store;
		this.jobs = jobs;
		this.conversations = conversations;
		this.media = media;
		this.background = background;
	}

	@EventListener
	void on(ImageJobUpdated updated) {
		ImageJob job = updated.job();
		Place place = job.origin() == null ? null : job.origin().place();
		if (place == null || !SlackMessages.PLATFORM.equals(place.platform()) || place.space() == null) {
			return;
		}
		long id = job.id().value();
		// the engine publishes on its own worker: render elsewhere, one job's updates in
		// order
		queues.compute(id,
				(key, tail) -> (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail)
					.thenRunAsync(() -> render(job), background)
					.exceptionally(failure -> {
						log.warn("could not show image job {} in Slack: {}", id, failure.getMessage());
						return null;
					}));
		if (job.state().finished()) {
			queues.computeIfPresent(id, (key, tail) -> {
				tail.whenComplete((done, failure) -> queues.remove(key, tail));
				return tail;
			});
		}
	}

	private void render(ImageJob job) {
		long id = job.id().value();
		Place place = job.origin().place();
		Optional<SlackStore.ImagePost> post = store.imagePost(id);
		if (post.isEmpty()) {
			if (!store.claimImagePost(id, place.space(), place.thread())) {
				return; // another node shows this job
			}
			String statusTs = api.postMessage(place.space(), place.thread(), status(job), null);
			String thread = place.thread() != null ? place.thread() : statusTs;
			store.imageStatusPosted(id, statusTs, thread);
			remember(job);
			post = store.imagePost(id);
		}
		SlackStore.ImagePost current = post.orElseThrow();
		if (current.statusTs() == null || current.delivered()) {
			return;
		}
		if (!job.state().finished()) {
			Shown last = shown.get(id);
			boolean same = last != null && last.state() == job.state() && last.progress() == job.progress();
			boolean tooSoon = last != null && last.state() == job.state()
					&& System.nanoTime() - last.atNanos() < PROGRESS_PACE.toNanos();
			if (!same && !tooSoon) {
				api.updateMessage(current.channel(), current.statusTs(), status(job), null);
				remember(job);
			}
			return;
		}
		shown.remove(id);
		if (job.state() == JobState.SUCCEEDED) {
			if (store.markImageDelivered(id)) {
				deliver(job, current);
			}
			return;
		}
		if (store.markImageDelivered(id)) {
			api.updateMessage(current.channel(), current.statusTs(), status(job), null);
		}
	}

	private void deliver(ImageJob job, SlackStore.ImagePost post) {
		for (int attempt = 1;; attempt++) {
			try {
				MediaRef image = job.kind().producesCandidates() ? job.grid()
						: job.candidates().isEmpty() ? null : job.candidates().getFirst().image();
				if (image == null) {
					throw new IllegalStateException("job " + job.id() + " succeeded without an image");
				}
				byte[] bytes = media.load(image.sha256())
					.map(Media::bytes)
					.orElseThrow(() -> new IllegalStateException("image " + image.sha256() + " is not stored"));
				String extension = image.mimeType().substring(image.mimeType().indexOf('/') + 1);
				api.uploadImage(post.channel(), post.threadTs(), bytes,
						"image-" + job.id().value() + "." + ("jpeg".equals(extension) ? "jpg" : extension), title(job),
						caption(job));
				api.postMessage(post.channel(), post.threadTs(), actionsText(job), buttons(job));
				api.updateMessage(post.channel(), post.statusTs(), status(job), null);
				return;
			}
			catch (SlackApi.RateLimited slowDown) {
				if (attempt == DELIVERY_ATTEMPTS) {
					store.unmarkImageDelivered(job.id().value());
					throw slowDown;
				}
				sleep(slowDown.retryAfter());
			}
			catch (RuntimeException failed) {
				if (attempt == DELIVERY_ATTEMPTS) {
					store.unmarkImageDelivered(job.id().value());
					throw failed;
				}
				sleep(Duration.ofSeconds(attempt));
			}
		}
	}

	/** A button under a result: starts the next job in the same thread. */
	void button(SlackInbound.Action action) {
		String[] value = action.value() == null ? new String[0] : action.value().split(":", 2);
		Optional<ImageAction> chosen = value.length == 2 ? ImageAction.parse(value[1]) : Optional.empty();
		long jobId;
		try {
			jobId = Long.parseLong(value.length == 2 ? value[0] : "");
		}
		catch (NumberFormatException unreadable) {
			jobId = -1;
		}
		if (chosen.isEmpty() || jobId < 0) {
			tell(action, "That button is not one I know.");
			return;
		}
		PlatformUserId sender = new PlatformUserId(SlackMessages.PLATFORM, action.user());
		User user = conversations.identify(sender, action.userName());
		String thread = action.threadTs() != null ? action.threadTs() : action.messageTs();
		Place place = new Place(SlackMessages.PLATFORM, SlackInteractions.kindOf(action.channel(), null),
				action.channel(), thread);
		try {
			jobs.act(user.id(), new ImageJobId(jobId), chosen.get(), new ImageOrigin(sender, place));
		}
		catch (ImageJobException refused) {
			tell(action, refused.getMessage());
		}
	}

	private void tell(SlackInbound.Action action, String text) {
		if (action.responseUrl() != null) {
			try {
				api.respond(action.responseUrl(), SlackMarkdown.toMrkdwn(text), null);
			}
			catch (SlackApi.Failed failed) {
				log.warn("could not answer an image button: {}", failed.getMessage());
			}
		}
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

	private void remember(ImageJob job) {
		shown.put(job.id().value(), new Shown(job.state(), job.progress(), System.nanoTime()));
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted");
		}
	}

}
