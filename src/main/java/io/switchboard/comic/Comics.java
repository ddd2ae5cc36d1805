package io.switchboard.comic;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import javax.imageio.ImageIO;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.UserId;
import io.switchboard.image.Candidate;
import io.switchboard.image.ImageAction;
import io.switchboard.image.ImageJob;
import io.switchboard.image.ImageJobException;
import io.switchboard.image.ImageJobId;
import io.switchboard.image.ImageJobUpdated;
import io.switchboard.image.ImageJobs;
import io.switchboard.image.ImageOrigin;
import io.switchboard.image.ImageRequest;
import io.switchboard.image.ImageSettings;
import io.switchboard.image.JobState;
import io.switchboard.llm.ModelCatalog;
import io.switchboard.llm.ModelSpec;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The comic studio's steps, for the studio page, the REST API and {@code /comic}: an idea
 * (step 1) becomes a story (2), image prompts (3), four drawn panels (4) and a strip (5).
 * Every step is saved, so a comic can be reopened and any step edited or done again. Only
 * a comic's owner sees or changes it.
 */
@Service
public class Comics {

	private static final Logger log = LoggerFactory.getLogger(Comics.class);

	/**
	 * The platform of the panels' image jobs' origin: no channel renders jobs of this
	 * platform, so a comic's panels never show up as loose image grids in a chat.
	 */
	public static final String PLATFORM = "comic";

	static final String TASK = "comic-run";

	/** The web page's platform (web accounts and the web chat). */
	static final String WEB = "web";

	static final int MAX_IDEA = 2000;

	static final int MAX_GENRE = 100;

	static final int MAX_STYLE = 300;

	static final int MAX_LIST = 100;

	private final ComicStore store;

	private final StoryWriter writer;

	private final StripRenderer renderer;

	private final ImageJobs jobs;

	private final MediaStore media;

	private final ModelCatalog models;

	private final ComicProperties properties;

	private final ComicUpdates updates;

	private final TransactionTemplate transactions;

	private final ApplicationEventPublisher events;

	private final SchedulerClient scheduler;

	private final Clock clock;

	Comics(ComicStore store, StoryWriter writer, StripRenderer renderer, ImageJobs jobs, MediaStore media,
			ModelCatalog models, ComicProperties properties, ComicUpdates updates, TransactionTemplate transactions,
			ApplicationEventPublisher events, @Lazy SchedulerClient scheduler, Clock clock) {
		this.store = store;
		this.writer = writer;
		this.renderer = renderer;
		this.jobs = jobs;
		this.media = media;
		this.models = models;
		this.properties = properties;
		this.updates = updates;
		this.transactions = transactions;
		this.events = events;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	// ---- step 1: the idea ----

	/**
	 * Starts a comic from an idea (step 1).
	 * @param origin where it was asked for (the studio, the API)
	 * @throws ComicException.Invalid for an empty or overlong idea or an unknown model
	 */
	public Comic create(UserId owner, ComicIdea idea, ImageOrigin origin) {
		ComicIdea checked = checkIdea(idea);
		Layout layout = checked.layout() != null ? checked.layout() : properties.defaultLayout();
		long id = transactions.execute(status -> store.insert(owner, checked, layout, properties.image().settings(),
				origin, null, clock.instant()));
		return store.find(id).orElseThrow();
	}

	/** Changes the idea, genre, style, model or layout; later steps are kept. */
	public Comic updateIdea(UserId viewer, ComicId id, ComicIdea idea) {
		Comic comic = editable(viewer, id);
		ComicIdea checked = checkIdea(idea);
		store.updateIdea(comic.id().value(), checked, checked.layout() != null ? checked.layout() : comic.layout(),
				clock.instant());
		return reload(comic);
	}

	public Optional<Comic> find(UserId viewer, ComicId id) {
		return store.find(id.value()).filter(comic -> comic.owner().equals(viewer));
	}

	/**
	 * @throws ComicException.NotFound when there is no such comic of the viewer's
	 */
	public Comic get(UserId viewer, ComicId id) {
		return find(viewer, id).orElseThrow(() -> notFound(id));
	}

	/** The owner's comics, the most recently changed first; at most 100 at a time. */
	public List<Comic> list(UserId owner, int limit, int offset) {
		return store.listByOwner(owner, Math.max(1, Math.min(MAX_LIST, limit)), Math.max(0, offset));
	}

	public void delete(UserId viewer, ComicId id) {
		Comic comic = get(viewer, id);
		store.delete(comic.id().value());
	}

	/** The presets the idea step offers: name to genre and style. */
	public Map<String, ComicProperties.Preset> presets() {
		return properties.presets();
	}

	/** How strips are composed unless the user picks otherwise. */
	public Layout defaultLayout() {
		return properties.defaultLayout();
	}

	/** The model that writes the comic's story and prompts. */
	public ModelSpec storyModel(Comic comic) {
		return writer.storyModel(comic);
	}

	// ---- step 2: the story ----

	/**
	 * The model writes the four-panel story (title, and per panel scene, characters,
	 * dialogue, caption), replacing any story there was.
	 * @throws ComicException.ModelFailed when the model's answer could not be used twice
	 * or the call failed; nothing is changed then
	 */
	public Comic writeStory(UserId viewer, ComicId id) {
		Comic comic = editable(viewer, id);
		return applyStory(comic);
	}

	/** The user's own version of the story. */
	public Comic editStory(UserId viewer, ComicId id, StoryEdit edit) {
		Comic comic = editable(viewer, id);
		String title = required(edit.title(), "The title", ComicJson.MAX_TITLE);
		if (edit.panels().size() != 4) {
			throw new ComicException.Invalid("A story has exactly 4 panels, not " + edit.panels().size() + ".");
		}
		List<StoryEdit.PanelText> texts = new ArrayList<>(4);
		for (int i = 0; i < 4; i++) {
			texts.add(checkText(edit.panels().get(i), i + 1));
		}
		store.updateStory(comic.id().value(), title, texts, clock.instant());
		return reload(comic);
	}

	/** The model writes one panel's text anew, fitting the other three. */
	public Comic rewritePanel(UserId viewer, ComicId id, int index) {
		Comic comic = editable(viewer, id);
		checkIndex(index);
		requireStory(comic);
		StoryEdit.PanelText text = writer.panel(comic, index);
		store.updatePanelText(comic.id().value(), index, text);
		return reload(comic);
	}

	// ---- step 3: the prompts ----

	/**
	 * The model writes a character sheet, a style line and each panel's image prompt and
	 * negative prompt.
	 */
	public Comic writePrompts(UserId viewer, ComicId id) {
		Comic comic = editable(viewer, id);
		requireStory(comic);
		return applyPrompts(comic);
	}

	public Comic editPrompts(UserId viewer, ComicId id, PromptsEdit edit) {
		Comic comic = editable(viewer, id);
		requireStory(comic);
		String sheet = optional(edit.characterSheet(), "The character sheet", ComicJson.MAX_SHEET);
		String styleLine = optional(edit.styleLine(), "The style line", ComicJson.MAX_STYLE_LINE);
		if (edit.panels().size() != 4) {
			throw new ComicException.Invalid("There are exactly 4 panels' prompts, not " + edit.panels().size() + ".");
		}
		List<PromptsEdit.PanelPrompt> prompts = new ArrayList<>(4);
		for (int i = 0; i < 4; i++) {
			PromptsEdit.PanelPrompt prompt = edit.panels().get(i);
			prompts.add(new PromptsEdit.PanelPrompt(
					required(prompt.prompt(), "Panel " + (i + 1) + "'s prompt", ComicJson.MAX_PROMPT), optional(
							prompt.negativePrompt(), "Panel " + (i + 1) + "'s negative prompt", ComicJson.MAX_PROMPT)));
		}
		store.updatePrompts(comic.id().value(), sheet, styleLine, prompts, clock.instant());
		return reload(comic);
	}

	// ---- step 4: the panels ----

	/** Seed, CFG scale, sampler, steps and provider for the panels drawn from now on. */
	public Comic updateSettings(UserId viewer, ComicId id, PanelSettings settings) {
		Comic comic = editable(viewer, id);
		store.updateSettings(comic.id().value(), checkSettings(settings), clock.instant());
		return reload(comic);
	}

	/**
	 * Starts one image job per panel (four candidates each); the first candidate becomes
	 * the panel when a job succeeds, until the user picks another.
	 * @throws ComicException.ImageRefused when the image engine refuses a panel's prompt;
	 * the panels before it are being drawn then
	 */
	public Comic drawPanels(UserId viewer, ComicId id) {
		Comic comic = editable(viewer, id);
		return startAll(comic);
	}

	/** Draws one panel anew from its (maybe edited) prompt. */
	public Comic drawPanel(UserId viewer, ComicId id, int index) {
		Comic comic = editable(viewer, id);
		checkIndex(index);
		requirePrompts(comic);
		start(comic, comic.panel(index));
		return reload(comic);
	}

	/** Four new candidates for a panel from the same prompt and settings. */
	public Comic rerollPanel(UserId viewer, ComicId id, int index) {
		return act(viewer, id, index, new ImageAction.Reroll());
	}

	/**
	 * Four new candidates that differ a lot ({@code strong}) or a little from one
	 * candidate.
	 */
	public Comic varyPanel(UserId viewer, ComicId id, int index, int candidate, boolean strong) {
		checkCandidate(candidate);
		return act(viewer, id, index,
				strong ? new ImageAction.VaryStrong(candidate) : new ImageAction.VarySubtle(candidate));
	}

	/** Makes one of the panel's current candidates the panel. */
	public Comic choose(UserId viewer, ComicId id, int index, int candidate) {
		Comic comic = editable(viewer, id);
		checkIndex(index);
		checkCandidate(candidate);
		Panel panel = comic.panel(index);
		ImageJob job = panelJob(comic, panel)
			.orElseThrow(() -> new ComicException.NotReady("Panel " + index + " has not been drawn yet."));
		if (job.state() != JobState.SUCCEEDED) {
			throw new ComicException.NotReady("Panel " + index + "'s image " + job.id() + " is not finished ("
					+ job.state().name().toLowerCase() + ").");
		}
		if (candidate > job.candidates().size()) {
			throw new ComicException.Invalid(
					"Panel " + index + " has " + job.candidates().size() + " candidates, not " + candidate + ".");
		}
		store.choose(comic.id().value(), index, job.id().value(), candidate,
				job.candidates().get(candidate - 1).image().sha256(), false, clock.instant());
		return reload(comic);
	}

	/** The image jobs of a comic's panels as they are now, by panel index. */
	public Map<Integer, ImageJob> panelJobs(Comic comic) {
		Map<Integer, ImageJob> found = new LinkedHashMap<>();
		for (Panel panel : comic.panels()) {
			panelJob(comic, panel).ifPresent(job -> found.put(panel.index(), job));
		}
		return found;
	}

	// ---- step 5: the strip ----

	/**
	 * Composes the four panels into one PNG strip with the title, captions and speech
	 * balloons, stores it in the media store and keeps it with the comic.
	 */
	public Comic compose(UserId viewer, ComicId id, Layout layout) {
		Comic comic = editable(viewer, id);
		composeStrip(comic, layout == null ? comic.layout() : layout);
		return reload(comic);
	}

	/**
	 * The scripts the server has no font for (e.g. {@code Korean}); empty when all are
	 * there.
	 */
	public List<String> missingFontScripts() {
		return renderer.missingScripts();
	}

	// ---- /comic: every step with the defaults ----

	/**
	 * Starts a comic that makes itself in the background with the defaults (story,
	 * prompts, panels with their first candidates, strip) and publishes
	 * {@link ComicFinished} or {@link ComicFailed} for the channel of {@code origin}.
	 */
	public Comic startRun(UserId owner, String idea, ImageOrigin origin) {
		ComicIdea checked = checkIdea(ComicIdea.of(idea));
		long id = transactions.execute(status -> {
			long created = store.insert(owner, checked, properties.defaultLayout(), properties.image().settings(),
					origin, RunState.RUNNING, clock.instant());
			scheduler.scheduleIfNotExists(new TaskInstance<Void>(TASK, Long.toString(created)), clock.instant());
			return created;
		});
		return store.find(id).orElseThrow();
	}

	/**
	 * Takes a running comic as far as it can go now; the time of the next look when it
	 * waits for its panels, empty when it is done (finished or failed).
	 */
	Optional<Instant> step(long id) {
		Comic comic = store.find(id).orElse(null);
		if (comic == null || comic.runState() != RunState.RUNNING) {
			return Optional.empty();
		}
		try {
			if (!comic.stage().reached(ComicStage.STORY)) {
				comic = applyStory(comic);
			}
			if (!comic.stage().reached(ComicStage.PROMPTS)) {
				comic = applyPrompts(comic);
			}
			if (!comic.stage().reached(ComicStage.PANELS)) {
				comic = startAll(comic);
			}
			boolean waiting = false;
			for (Panel panel : comic.panels()) {
				if (panel.job() == null && !panel.hasImage()) {
					// the node that started the panels stopped before this one: start it
					// now
					start(comic, panel);
					waiting = true;
					continue;
				}
				ImageJob job = panelJob(comic, panel).orElse(null);
				if (job == null) {
					throw new ComicException.NotReady("Panel " + panel.index() + "'s image job is gone.");
				}
				switch (job.state()) {
					case FAILED -> throw new ComicException.NotReady("Panel " + panel.index() + " could not be drawn: "
							+ Objects.requireNonNullElse(job.failureReason(), "the image provider failed") + ".");
					case CANCELLED -> throw new ComicException.NotReady("Panel " + panel.index() + " was cancelled.");
					case SUCCEEDED -> {
						if (!panel.hasImage()) {
							chooseFirst(comic.id().value(), panel.index(), job);
						}
					}
					default -> waiting = true;
				}
			}
			if (waiting) {
				return Optional.of(clock.instant().plus(properties.runPollInterval()));
			}
			comic = reload(comic);
			MediaRef strip = composeStrip(comic, comic.layout());
			if (store.finishRun(id, RunState.FINISHED, null, clock.instant())) {
				log.info("comic {} made itself: {}", comic.id(), comic.title());
				events.publishEvent(new ComicFinished(comic.id(), comic.owner(), reload(comic).displayTitle(), strip,
						comic.origin()));
			}
		}
		catch (ComicException failed) {
			fail(comic, failed.getMessage());
		}
		return Optional.empty();
	}

	/** Gives up on a running comic (a step failed for good). */
	void fail(Comic comic, String reason) {
		if (store.finishRun(comic.id().value(), RunState.FAILED, reason, clock.instant())) {
			log.info("comic {} failed: {}", comic.id(), reason);
			events.publishEvent(new ComicFailed(comic.id(), comic.owner(), reason, comic.origin()));
		}
	}

	/**
	 * A panel's job changed: a finished one's first candidate becomes the panel unless
	 * one was chosen, a running comic looks again at once, and the studio is told.
	 */
	@EventListener
	void onImageJobUpdated(ImageJobUpdated updated) {
		ImageJob job = updated.job();
		if (!PLATFORM.equals(job.origin().place().platform())) {
			return;
		}
		// The event may come from a transaction's afterCommit, whose connection is still
		// bound (on SQLite, holding the write lock again): the work runs on a thread of
		// its own, with its own connection, once the publisher has let go.
		Thread.ofVirtual().name("comic-panel-" + job.id().value()).start(() -> {
			try {
				panelJobChanged(job);
			}
			catch (RuntimeException failed) {
				// a /comic run chooses for itself at its next look; the studio shows the
				// job
				log.warn("comic panel of image job {}: {}", job.id(), failed.toString());
			}
		});
	}

	private void panelJobChanged(ImageJob job) {
		List<long[]> panels = store.panelsOfJob(job.id().value());
		if (job.state() == JobState.SUCCEEDED) {
			for (long[] panel : panels) {
				chooseFirst(panel[0], (int) panel[1], job);
				store.find(panel[0]).filter(comic -> comic.runState() == RunState.RUNNING).ifPresent(comic -> {
					try {
						scheduler.reschedule(TaskInstanceId.of(TASK, Long.toString(comic.id().value())),
								clock.instant());
					}
					catch (RuntimeException busy) {
						// it is running right now, or already done: it looks again by
						// itself
					}
				});
			}
		}
		panels.forEach(panel -> updates.publish(new ComicId(panel[0]), (int) panel[1], job));
	}

	// ---- the steps' work, shared by the studio and /comic ----

	private Comic applyStory(Comic comic) {
		ComicJson.Story story = writer.story(comic);
		store.updateStory(comic.id().value(), story.title(), story.panels(), clock.instant());
		return reload(comic);
	}

	private Comic applyPrompts(Comic comic) {
		PromptsEdit prompts = writer.prompts(comic);
		List<PromptsEdit.PanelPrompt> filled = prompts.panels()
			.stream()
			.map(prompt -> new PromptsEdit.PanelPrompt(prompt.prompt(),
					prompt.negativePrompt().isBlank() ? properties.negativePrompt() : prompt.negativePrompt()))
			.toList();
		store.updatePrompts(comic.id().value(), prompts.characterSheet(), prompts.styleLine(), filled, clock.instant());
		return reload(comic);
	}

	private Comic startAll(Comic comic) {
		requirePrompts(comic);
		for (Panel panel : comic.panels()) {
			try {
				start(comic, panel);
			}
			catch (ComicException.ImageRefused refused) {
				String started = panel.index() == 1 ? ""
						: " Panels 1" + (panel.index() > 2 ? "-" + (panel.index() - 1) : "") + " are being drawn.";
				throw new ComicException.ImageRefused("Panel " + panel.index() + ": " + refused.getMessage() + started,
						refused.queueFull());
			}
		}
		return reload(comic);
	}

	private void start(Comic comic, Panel panel) {
		PanelSettings s = comic.settings();
		ImageSettings settings = new ImageSettings(s.provider(), null, null, null, s.seed(), s.steps(), s.cfgScale(),
				s.sampler());
		ImageJob job;
		try {
			job = jobs.imagine(comic.owner(), new ImageRequest(panel.prompt(), panel.negativePrompt(), settings),
					panelOrigin(comic));
		}
		catch (ImageJobException.Rejected refused) {
			throw new ComicException.ImageRefused(refused.getMessage(),
					refused.reason() == ImageJobException.Rejected.Reason.QUEUE_FULL);
		}
		linkPanel(comic, panel.index(), job);
	}

	/**
	 * Points the panel at its new job; a job that finished before that (the event found
	 * no panel then) has its first candidate chosen here.
	 */
	private void linkPanel(Comic comic, int index, ImageJob job) {
		store.setPanelJob(comic.id().value(), index, job.id(), clock.instant());
		jobs.find(comic.owner(), job.id())
			.filter(now -> now.state() == JobState.SUCCEEDED)
			.ifPresent(done -> chooseFirst(comic.id().value(), index, done));
	}

	private Comic act(UserId viewer, ComicId id, int index, ImageAction action) {
		Comic comic = editable(viewer, id);
		checkIndex(index);
		Panel panel = comic.panel(index);
		if (panel.job() == null) {
			throw new ComicException.NotReady("Panel " + index + " has not been drawn yet.");
		}
		ImageJob job;
		try {
			job = jobs.act(comic.owner(), panel.job(), action, panelOrigin(comic));
		}
		catch (ImageJobException.NotFound gone) {
			throw new ComicException.NotReady("Panel " + index + "'s image is gone; draw the panel again.");
		}
		catch (ImageJobException.NotAllowed notNow) {
			throw new ComicException.NotReady(notNow.getMessage());
		}
		catch (ImageJobException.Rejected refused) {
			throw new ComicException.ImageRefused(refused.getMessage(),
					refused.reason() == ImageJobException.Rejected.Reason.QUEUE_FULL);
		}
		linkPanel(comic, index, job);
		return reload(comic);
	}

	private MediaRef composeStrip(Comic comic, Layout layout) {
		if (!comic.allPanelsDrawn()) {
			List<String> missing = comic.panels()
				.stream()
				.filter(panel -> !panel.hasImage())
				.map(panel -> Integer.toString(panel.index()))
				.toList();
			throw new ComicException.NotReady(
					"Every panel needs its image before the strip can be made; missing: panel "
							+ String.join(", ", missing) + ".");
		}
		List<StripRenderer.PanelArt> art = new ArrayList<>(4);
		for (Panel panel : comic.panels()) {
			art.add(new StripRenderer.PanelArt(load(panel), panel.dialogue(), panel.caption()));
		}
		StripRenderer.Strip strip = renderer.render(comic.displayTitle(), layout, art, properties.panelSize());
		MediaRef stored = media.store(strip.png());
		store.setStrip(comic.id().value(), stored.sha256(), layout, clock.instant());
		return stored;
	}

	private BufferedImage load(Panel panel) {
		byte[] bytes = media.load(panel.imageSha256())
			.orElseThrow(() -> new ComicException.NotReady("Panel " + panel.index() + "'s image is gone."))
			.bytes();
		try {
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
			if (image == null) {
				throw new ComicException.NotReady("Panel " + panel.index() + "'s image cannot be read.");
			}
			return image;
		}
		catch (IOException unreadable) {
			throw new ComicException.NotReady("Panel " + panel.index() + "'s image cannot be read.");
		}
	}

	private void chooseFirst(long comicId, int index, ImageJob job) {
		List<Candidate> candidates = job.candidates();
		if (!candidates.isEmpty()) {
			store.choose(comicId, index, job.id().value(), candidates.getFirst().index(),
					candidates.getFirst().image().sha256(), true, clock.instant());
		}
	}

	private Optional<ImageJob> panelJob(Comic comic, Panel panel) {
		return panel.job() == null ? Optional.empty() : jobs.find(comic.owner(), panel.job());
	}

	static ImageOrigin panelOrigin(Comic comic) {
		return new ImageOrigin(new PlatformUserId(PLATFORM, comic.owner().toString()),
				new Place(PLATFORM, PlaceKind.API, "comic-" + comic.id().value(), null));
	}

	// ---- checks ----

	private Comic editable(UserId viewer, ComicId id) {
		Comic comic = get(viewer, id);
		if (comic.runState() == RunState.RUNNING) {
			throw new ComicException.NotReady("Comic " + id + " is making itself (/comic); wait until it is finished.");
		}
		return comic;
	}

	private Comic reload(Comic comic) {
		return store.find(comic.id().value()).orElseThrow(() -> notFound(comic.id()));
	}

	private ComicIdea checkIdea(ComicIdea idea) {
		if (idea == null) {
			throw new ComicException.Invalid("Write an idea for the comic.");
		}
		String text = required(idea.idea(), "The idea", MAX_IDEA);
		String genre = optional(idea.genre(), "The genre", MAX_GENRE);
		String style = optional(idea.style(), "The style", MAX_STYLE);
		String model = idea.model() == null || idea.model().isBlank() ? null : idea.model().strip();
		if (model != null && models.find(model).isEmpty()) {
			throw new ComicException.Invalid("There is no model called " + model + ". Choose one of: "
					+ String.join(", ", models.all().stream().map(ModelSpec::name).toList()) + ".");
		}
		return new ComicIdea(text, genre.isEmpty() ? null : genre, style.isEmpty() ? null : style, model,
				idea.layout());
	}

	private static StoryEdit.PanelText checkText(StoryEdit.PanelText text, int index) {
		if (text == null) {
			throw new ComicException.Invalid("Panel " + index + " is missing.");
		}
		String where = "Panel " + index + "'s ";
		String scene = optional(text.scene(), where + "scene", ComicJson.MAX_SCENE);
		String characters = optional(text.characters(), where + "characters", ComicJson.MAX_CHARACTERS);
		String dialogue = optional(text.dialogue(), where + "dialogue", ComicJson.MAX_LINE);
		String caption = optional(text.caption(), where + "caption", ComicJson.MAX_LINE);
		return new StoryEdit.PanelText(scene, characters, dialogue, caption);
	}

	private static PanelSettings checkSettings(PanelSettings settings) {
		if (settings == null) {
			return PanelSettings.DEFAULTS;
		}
		Long seed = settings.seed();
		if (seed != null && (seed < -1 || seed > 0xFFFF_FFFFL)) {
			throw new ComicException.Invalid("A seed goes from 0 to 4294967295 (or -1 for a random one).");
		}
		if (seed != null && seed == -1) {
			seed = null;
		}
		if (settings.steps() != null && (settings.steps() < 1 || settings.steps() > 150)) {
			throw new ComicException.Invalid("Steps go from 1 to 150, not " + settings.steps() + ".");
		}
		Double cfg = settings.cfgScale();
		if (cfg != null && (cfg.isNaN() || cfg < 0 || cfg > 30)) {
			throw new ComicException.Invalid("The CFG scale goes from 0 to 30, not " + cfg + ".");
		}
		String sampler = optional(settings.sampler(), "The sampler's name", 64);
		String provider = optional(settings.provider(), "The provider's name", 100);
		return new PanelSettings(provider.isEmpty() ? null : provider, seed, settings.steps(), cfg,
				sampler.isEmpty() ? null : sampler);
	}

	private static void requireStory(Comic comic) {
		if (!comic.stage().reached(ComicStage.STORY)) {
			throw new ComicException.NotReady("Comic " + comic.id() + " has no story yet: write the story first.");
		}
	}

	private static void requirePrompts(Comic comic) {
		if (!comic.stage().reached(ComicStage.PROMPTS)
				|| comic.panels().stream().anyMatch(panel -> panel.prompt() == null || panel.prompt().isBlank())) {
			throw new ComicException.NotReady(
					"Comic " + comic.id() + " has no image prompts yet: write the prompts first.");
		}
	}

	private static void checkIndex(int index) {
		if (index < 1 || index > 4) {
			throw new ComicException.Invalid("A comic has panels 1 to 4, not " + index + ".");
		}
	}

	private static void checkCandidate(int candidate) {
		if (candidate < 1 || candidate > 4) {
			throw new ComicException.Invalid("A panel has candidates 1 to 4, not " + candidate + ".");
		}
	}

	private static String required(String value, String what, int max) {
		String text = optional(value, what, max);
		if (text.isEmpty()) {
			throw new ComicException.Invalid(what + " must not be empty.");
		}
		return text;
	}

	private static String optional(String value, String what, int max) {
		String text = value == null ? "" : value.strip();
		if (text.length() > max) {
			throw new ComicException.Invalid(
					what + " is too long: " + text.length() + " characters, the limit is " + max + ".");
		}
		return text;
	}

	private static ComicException.NotFound notFound(ComicId id) {
		return new ComicException.NotFound("There is no comic " + id + " of yours.");
	}

}
