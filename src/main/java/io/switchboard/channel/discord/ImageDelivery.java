package io.switchboard.channel.discord;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.switchboard.conversation.PlaceKind;
import io.switchboard.conversation.UserId;
import io.switchboard.image.ImageAction;
import io.switchboard.image.ImageJob;
import io.switchboard.image.ImageJobId;
import io.switchboard.image.ImageJobUpdated;
import io.switchboard.image.ImageJobs;
import io.switchboard.image.JobKind;
import io.switchboard.image.JobState;
import io.switchboard.media.Media;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaStore;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.interactions.components.ActionRow;
import net.dv8tion.jda.api.interactions.components.buttons.Button;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;
import net.dv8tion.jda.api.utils.messages.MessageEditData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Shows image jobs asked for on Discord: each job gets one message in the channel it was
 * asked in, edited as it goes (waiting, progress, then the grid with U1-U4, V1-V4 and
 * reroll, or the upscale with Vary (Strong) and Vary (Subtle), or the reason it failed).
 *
 * <p>
 * Updates come as {@link ImageJobUpdated} events on the node that made the change; the
 * message is always drawn from the job as stored, under a per-job lock, so late or
 * concurrent events never show an older state. Progress edits are paced; and since a job
 * may be worked on by another node (whose events this node never sees), the node holding
 * the gateway also sweeps the unfinished jobs at the same pace.
 */
@Component
class ImageDelivery implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ImageDelivery.class);

	private static final int SWEEP_BATCH = 50;

	private static final String DEMO_PROVIDER = "demo";

	private final ImageJobs jobs;

	private final ImageMessages messages;

	private final MediaStore media;

	private final DiscordGateway gateway;

	private final DiscordProperties properties;

	private final Clock clock;

	private final ReentrantLock[] locks = new ReentrantLock[64];

	private volatile ScheduledExecutorService sweeper;

	ImageDelivery(ImageJobs jobs, ImageMessages messages, MediaStore media, DiscordGateway gateway,
			DiscordProperties properties, Clock clock) {
		this.jobs = jobs;
		this.messages = messages;
		this.media = media;
		this.gateway = gateway;
		this.properties = properties;
		this.clock = clock;
		for (int i = 0; i < locks.length; i++) {
			locks[i] = new ReentrantLock();
		}
	}

	@EventListener
	void onJobUpdated(ImageJobUpdated updated) {
		ImageJob job = updated.job();
		if (!Discord.PLATFORM.equals(job.origin().place().platform()) || gateway.connected().isEmpty()) {
			return;
		}
		// the event comes on the thread that changed the job (an image worker, or an
		// interaction): Discord's answers must not hold it up
		Thread.ofVirtual().name("discord-image-" + job.id().value()).start(() -> deliver(job.id(), job.owner()));
	}

	/** Brings the job's message up to date (makes it, the first time). */
	void deliver(ImageJobId id, UserId owner) {
		ReentrantLock lock = locks[(int) Math.floorMod(id.value(), (long) locks.length)];
		lock.lock();
		try {
			ImageJob job = jobs.find(owner, id).orElse(null);
			if (job == null) {
				return;
			}
			String shown = shown(job);
			boolean finished = job.state().finished();
			Optional<ImageMessages.Row> row = messages.find(id.value());
			if (row.isPresent()) {
				if (row.get().rendered().equals(shown)) {
					return;
				}
				boolean soon = clock.millis() - row.get().updatedAt() < properties.imageProgressInterval().toMillis();
				if (!finished && soon) {
					// too soon after the last edit: the sweep shows the progress later
					return;
				}
			}
			Optional<MessageChannel> channel = channel(job, row.map(ImageMessages.Row::channelId));
			if (channel.isEmpty()) {
				return;
			}
			if (row.isEmpty()) {
				Message created = channel.get().sendMessage(create(job)).complete();
				messages.insert(id.value(), owner.value(), channel.get().getIdLong(), created.getIdLong(), shown,
						finished);
			}
			else {
				channel.get().editMessageById(row.get().messageId(), edit(job)).complete();
				messages.shown(id.value(), shown, finished);
			}
		}
		catch (RuntimeException failure) {
			log.warn("could not show image job {} on Discord: {}", id, failure.toString());
		}
		finally {
			lock.unlock();
		}
	}

	/** Catches up with jobs whose changes were made (and published) on other nodes. */
	void sweep() {
		if (gateway.connected().isEmpty()) {
			return;
		}
		try {
			for (ImageMessages.Row row : messages.unfinished(SWEEP_BATCH)) {
				deliver(new ImageJobId(row.jobId()), new UserId(row.ownerId()));
			}
		}
		catch (RuntimeException failure) {
			log.warn("could not sweep the image jobs shown on Discord: {}", failure.toString());
		}
	}

	/** What a message shows: its state, and how far a running job is. */
	static String shown(ImageJob job) {
		return job.state() == JobState.RUNNING ? job.state() + ":" + job.progress() : job.state().name();
	}

	private Optional<MessageChannel> channel(ImageJob job, Optional<Long> known) {
		long id = known.orElseGet(() -> Discord.channelId(job.origin().place()));
		return gateway.channel(id,
				job.origin().place().kind() == PlaceKind.DIRECT ? job.origin().requester().id() : null);
	}

	private MessageCreateData create(ImageJob job) {
		return new MessageCreateBuilder().setContent(text(job))
			.setComponents(buttons(job))
			.setFiles(files(job))
			.setAllowedMentions(Discord.NO_MENTIONS)
			.build();
	}

	private MessageEditData edit(ImageJob job) {
		MessageEditBuilder edit = new MessageEditBuilder().setContent(text(job))
			.setComponents(buttons(job))
			.setAllowedMentions(Discord.NO_MENTIONS);
		List<FileUpload> files = files(job);
		if (!files.isEmpty()) {
			edit.setFiles(files);
		}
		return edit.build();
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

	// ------------------------------------------------------------- lifecycle

	@Override
	public void start() {
		if (!properties.enabled()) {
			return;
		}
		long every = Math.max(200, properties.imageProgressInterval().toMillis());
		sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("discord-image-sweep").factory());
		sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		ScheduledExecutorService current = sweeper;
		sweeper = null;
		if (current != null) {
			current.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return sweeper != null;
	}

}
