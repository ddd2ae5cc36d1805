package io.switchboard.image;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserId;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Image generation in the Midjourney way: a prompt gives four candidates
 * ({@link #imagine}); a candidate can be upscaled or varied strongly or subtly, the four
 * rerolled, an upscale varied again ({@link #act}), without end. Every job is recorded
 * (queued) before any provider is called, then run durably in the background; each change
 * is published as an {@link ImageJobUpdated} after it is committed.
 */
@Service
public class ImageJobs {

	static final int MAX_PROMPT = 4000;

	static final int MAX_LIST = 100;

	/** How long {@link #await} sleeps between two looks at the database (other nodes). */
	private static final Duration AWAIT_RECHECK = Duration.ofSeconds(1);

	private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

	private final JobStore store;

	private final ImageEngine engine;

	private final ImageProviders providers;

	private final ImageProperties properties;

	private final Conversations conversations;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	private final Map<Long, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

	ImageJobs(JobStore store, ImageEngine engine, ImageProviders providers, ImageProperties properties,
			Conversations conversations, TransactionTemplate transactions, Clock clock) {
		this.store = store;
		this.engine = engine;
		this.providers = providers;
		this.properties = properties;
		this.conversations = conversations;
		this.transactions = transactions;
		this.clock = clock;
	}

	/**
	 * Records an origin job (four candidates from a prompt), queued, and starts it.
	 * @throws ImageJobException.Rejected for a banned or overlong prompt, bad settings,
	 * an unknown provider or a full queue; nothing is recorded then
	 */
	public ImageJob imagine(UserId owner, ImageRequest request, ImageOrigin origin) {
		Objects.requireNonNull(owner, "owner");
		Objects.requireNonNull(request, "request");
		Objects.requireNonNull(origin, "origin");
		String prompt = request.prompt().strip();
		if (prompt.length() > MAX_PROMPT) {
			throw new ImageJobException.Rejected(
					"The prompt is too long: " + prompt.length() + " characters, and the limit is " + MAX_PROMPT + ".");
		}
		String negative = request.negativePrompt() == null || request.negativePrompt().isBlank() ? null
				: request.negativePrompt().strip();
		if (negative != null && negative.length() > MAX_PROMPT) {
			throw new ImageJobException.Rejected("The negative prompt is too long: the limit is " + MAX_PROMPT + ".");
		}
		refuseBanned(prompt);
		ImageProviders.Entry entry = providers.find(request.settings().provider())
			.orElseThrow(() -> new ImageJobException.Rejected(
					"There is no image provider called " + request.settings().provider() + ". Choose one of: "
							+ String.join(", ", providers.names()) + ".",
					ImageJobException.Rejected.Reason.UNKNOWN_PROVIDER));
		ImageSettings settings = resolve(request.settings(), entry, true);
		entry.provider().problemWith(settings).ifPresent(problem -> {
			throw new ImageJobException.Rejected(problem);
		});
		return record(entry, new JobStore.NewJob(owner, JobKind.ORIGIN, JobKind.ORIGIN, null, null, null, prompt,
				negative, settings, origin));
	}

	/**
	 * Acts on a finished job as Midjourney's buttons do: U1-U4 upscale a candidate, V1-V4
	 * and S1-S4 vary one strongly or subtly, reroll draws four new ones; on an upscale,
	 * Vary (Strong) and Vary (Subtle). The new job is the actor's. A job made in a group
	 * may be acted on by anyone in that group.
	 * @throws ImageJobException.NotFound when the job does not exist or is not the
	 * actor's to see
	 * @throws ImageJobException.NotAllowed when the action does not apply to that job
	 * (not finished yet, no such candidate, a number on an upscale, ...)
	 * @throws ImageJobException.Rejected when the provider's queue is full
	 */
	public ImageJob act(UserId actor, ImageJobId job, ImageAction action, ImageOrigin origin) {
		Objects.requireNonNull(action, "action");
		Objects.requireNonNull(origin, "origin");
		JobStore.StoredJob parent = store.find(job.value())
			.filter(found -> visible(actor, found.job()) || sameGroup(found.job(), origin))
			.orElseThrow(() -> notFound(job));
		ImageJob p = parent.job();
		if (p.state() != JobState.SUCCEEDED) {
			throw new ImageJobException.NotAllowed(switch (p.state()) {
				case FAILED -> "Image " + p.id() + " failed, so there is nothing to " + verb(action) + ".";
				case CANCELLED -> "Image " + p.id() + " was cancelled, so there is nothing to " + verb(action) + ".";
				default -> "Image " + p.id() + " is not finished yet; wait for it, then " + verb(action) + ".";
			});
		}
		JobKind work;
		String source;
		Integer index = action.index();
		if (p.kind().producesCandidates()) {
			if (index == null && !(action instanceof ImageAction.Reroll)) {
				throw new ImageJobException.NotAllowed(action.label() + " applies to an upscaled image. On " + p.id()
						+ " pick a candidate: U1-U4 to upscale, V1-V4 to vary.");
			}
			if (index != null && index > p.candidates().size()) {
				throw new ImageJobException.NotAllowed(
						"Image " + p.id() + " has " + p.candidates().size() + " candidates, not " + index + ".");
			}
			if (action instanceof ImageAction.Reroll) {
				work = parent.work();
				source = parent.sourceSha256();
			}
			else {
				work = action.kind();
				source = p.candidates().get(index - 1).image().sha256();
			}
		}
		else {
			if (action instanceof ImageAction.Upscale || action instanceof ImageAction.Reroll || index != null) {
				throw new ImageJobException.NotAllowed("Image " + p.id()
						+ " is an upscaled image: it can be varied (strong or subtle), not " + verb(action) + ".");
			}
			work = action.kind();
			source = p.candidates().getFirst().image().sha256();
		}
		ImageProviders.Entry entry = providers.find(p.provider())
			.filter(found -> found.name().equals(p.provider()))
			.orElseThrow(() -> new ImageJobException.Rejected(
					"The image provider " + p.provider() + " that made " + p.id()
							+ " is no longer configured on this server.",
					ImageJobException.Rejected.Reason.UNKNOWN_PROVIDER));
		entry.provider().problemWith(action.kind(), p.kind() == JobKind.UPSCALE).ifPresent(problem -> {
			throw new ImageJobException.NotAllowed(problem);
		});
		// an upscale keeps the seed it enlarges; new candidates need a new one
		ImageSettings settings = action instanceof ImageAction.Upscale ? p.settings() : withSeed(p.settings(), null);
		settings = resolve(settings, entry, false);
		return record(entry, new JobStore.NewJob(actor, action.kind(), work, p.id(), index, source, p.prompt(),
				p.negativePrompt(), settings, origin));
	}

	/** A job, if the viewer may see it: its owner, or an admin. */
	public Optional<ImageJob> find(UserId viewer, ImageJobId id) {
		return store.find(id.value()).map(JobStore.StoredJob::job).filter(job -> visible(viewer, job));
	}

	/** The owner's jobs, newest first; at most 100 at a time. */
	public List<ImageJob> list(UserId owner, int limit, int offset) {
		return store.listByOwner(owner, Math.max(1, Math.min(MAX_LIST, limit)), Math.max(0, offset));
	}

	/** The jobs made from this one, oldest first (one level of the job tree). */
	public List<ImageJob> children(UserId viewer, ImageJobId id) {
		find(viewer, id).orElseThrow(() -> notFound(id));
		return store.children(id.value());
	}

	/**
	 * Cancels a job that has not finished; the provider is asked to stop where it can.
	 * @throws ImageJobException.NotAllowed when it has finished already
	 */
	public ImageJob cancel(UserId actor, ImageJobId id) {
		JobStore.StoredJob stored = store.find(id.value())
			.filter(found -> visible(actor, found.job()))
			.orElseThrow(() -> notFound(id));
		if (!store.cancel(id.value(), clock.instant())) {
			throw new ImageJobException.NotAllowed("Image " + id + " has already finished.");
		}
		String taskId = stored.job().providerTaskId();
		if (taskId != null) {
			providers.find(stored.job().provider())
				.ifPresent(entry -> entry.provider().cancel(engine.providerJob(stored), taskId));
		}
		engine.count(stored.job().provider(), "cancelled");
		engine.finished(stored);
		return store.find(id.value()).orElseThrow().job();
	}

	/**
	 * Waits (run it on a virtual thread) until the job has finished or the timeout has
	 * passed, and returns it as it is then.
	 * @throws ImageJobException.NotFound when there is no such job
	 */
	public ImageJob await(ImageJobId id, Duration timeout) {
		Instant deadline = clock.instant().plus(timeout);
		while (true) {
			CompletableFuture<Void> signal = waiting.computeIfAbsent(id.value(), key -> new CompletableFuture<>());
			ImageJob job = store.find(id.value()).map(JobStore.StoredJob::job).orElseThrow(() -> notFound(id));
			Duration left = Duration.between(clock.instant(), deadline);
			if (job.state().finished() || left.isNegative() || left.isZero()) {
				return job;
			}
			try {
				signal.get(Math.min(left.toMillis(), AWAIT_RECHECK.toMillis()), TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException recheck) {
				// another node may have finished it: look again
			}
			catch (ExecutionException impossible) {
				throw new IllegalStateException(impossible);
			}
			catch (InterruptedException interrupted) {
				Thread.currentThread().interrupt();
				return store.find(id.value()).map(JobStore.StoredJob::job).orElseThrow(() -> notFound(id));
			}
		}
	}

	@EventListener
	void wakeWaiters(ImageJobUpdated updated) {
		if (updated.job().state().finished()) {
			CompletableFuture<Void> signal = waiting.remove(updated.job().id().value());
			if (signal != null) {
				signal.complete(null);
			}
		}
	}

	private ImageJob record(ImageProviders.Entry entry, JobStore.NewJob job) {
		return transactions.execute(status -> {
			long queued = store.countQueued(entry.name());
			if (queued >= entry.maxQueued()) {
				throw new ImageJobException.Rejected(
						"The queue of " + entry.name() + " is full (" + queued
								+ " images waiting). Try again in a few minutes.",
						ImageJobException.Rejected.Reason.QUEUE_FULL);
			}
			long id = store.insert(job, clock.instant());
			engine.start(id);
			ImageJob recorded = store.find(id).orElseThrow().job();
			engine.publish(recorded);
			return recorded;
		});
	}

	/** Fills in the provider's defaults and a seed, and checks the ranges. */
	private ImageSettings resolve(ImageSettings asked, ImageProviders.Entry entry, boolean check) {
		Integer width = asked.width() != null ? asked.width() : entry.width();
		Integer height = asked.height() != null ? asked.height() : entry.height();
		if (check) {
			side("width", width);
			side("height", height);
			if (asked.steps() != null && (asked.steps() < 1 || asked.steps() > 150)) {
				throw new ImageJobException.Rejected("Steps go from 1 to 150, not " + asked.steps() + ".");
			}
			if (asked.cfgScale() != null
					&& (asked.cfgScale() < 0 || asked.cfgScale() > 30 || asked.cfgScale().isNaN())) {
				throw new ImageJobException.Rejected("The CFG scale goes from 0 to 30, not " + asked.cfgScale() + ".");
			}
			if (asked.seed() != null && (asked.seed() < -1 || asked.seed() > 0xFFFF_FFFFL)) {
				throw new ImageJobException.Rejected("A seed goes from 0 to 4294967295 (or -1 for a random one).");
			}
			if (asked.sampler() != null && asked.sampler().length() > 64) {
				throw new ImageJobException.Rejected("A sampler's name has at most 64 characters.");
			}
			if (asked.model() != null && asked.model().length() > 200) {
				throw new ImageJobException.Rejected("A model's name has at most 200 characters.");
			}
		}
		Long seed = asked.seed() == null || asked.seed() < 0 ? random.nextLong(0, 0x1_0000_0000L) : asked.seed();
		return new ImageSettings(entry.name(), blankToNull(asked.model()), width, height, seed, asked.steps(),
				asked.cfgScale(), blankToNull(asked.sampler()));
	}

	private static void side(String name, Integer value) {
		if (value != null && (value < 64 || value > 4096 || value % 8 != 0)) {
			throw new ImageJobException.Rejected(
					"The " + name + " must be a multiple of 8 from 64 to 4096 pixels, not " + value + ".");
		}
	}

	private static ImageSettings withSeed(ImageSettings settings, Long seed) {
		return new ImageSettings(settings.provider(), settings.model(), settings.width(), settings.height(), seed,
				settings.steps(), settings.cfgScale(), settings.sampler());
	}

	private void refuseBanned(String prompt) {
		if (properties.bannedWords().isEmpty()) {
			return;
		}
		String lower = prompt.toLowerCase(Locale.ROOT);
		for (String banned : properties.bannedWords()) {
			String word = banned.strip().toLowerCase(Locale.ROOT);
			if (!word.isEmpty() && containsWord(lower, word)) {
				throw new ImageJobException.Rejected(
						"This server does not draw prompts with the word \"" + banned.strip() + "\".",
						ImageJobException.Rejected.Reason.BANNED);
			}
		}
	}

	private static boolean containsWord(String text, String word) {
		if (!WORD.matcher(word).matches()) {
			return text.contains(word); // a phrase or symbol: plain containment
		}
		return Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(word) + "(?![\\p{L}\\p{N}])").matcher(text).find();
	}

	private boolean visible(UserId viewer, ImageJob job) {
		if (viewer == null) {
			return false;
		}
		return job.owner().equals(viewer) || conversations.findUser(viewer).map(User::isAdmin).orElse(false);
	}

	/** Buttons under a grid in a group chat are for everyone in that group. */
	private static boolean sameGroup(ImageJob job, ImageOrigin origin) {
		return origin != null && job.origin().place().kind() == PlaceKind.GROUP
				&& origin.place().kind() == PlaceKind.GROUP
				&& job.origin().place().platform().equals(origin.place().platform())
				&& Objects.equals(job.origin().place().space(), origin.place().space());
	}

	private static ImageJobException.NotFound notFound(ImageJobId id) {
		return new ImageJobException.NotFound("There is no image " + id + " of yours.");
	}

	private static String verb(ImageAction action) {
		return switch (action) {
			case ImageAction.Upscale upscale -> "upscale it";
			case ImageAction.VaryStrong vary -> "vary it";
			case ImageAction.VarySubtle vary -> "vary it";
			case ImageAction.Reroll reroll -> "reroll it";
		};
	}

	private static String blankToNull(String value) {
		return value == null || value.isBlank() ? null : value.strip();
	}

}
