package io.switchboard.comic;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.UserId;
import io.switchboard.image.ImageJobId;
import io.switchboard.image.ImageOrigin;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The comics and their panels, in plain SQL that both SQLite and PostgreSQL run. Writes
 * that change a comic also bump its {@code updated_at}, so the gallery shows the newest
 * work first.
 */
@Repository
class ComicStore {

	private static final String SELECT_COMIC = """
			SELECT id, owner_id, idea, genre, style, model, layout, stage, title, character_sheet, style_line,
			       provider, seed, steps, cfg_scale, sampler, strip_sha256, run_state, failure_reason,
			       requester_platform, requester_id, origin_platform, origin_kind, origin_space, origin_thread,
			       created_at, updated_at
			  FROM comics """;

	private static final String SELECT_PANELS = """
			SELECT comic_id, idx, scene, characters, dialogue, caption, prompt, negative_prompt, job_id, candidate,
			       image_sha256
			  FROM comic_panels """;

	private final JdbcClient jdbc;

	ComicStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Records a comic with four empty panels; run it in a transaction. */
	long insert(UserId owner, ComicIdea idea, Layout layout, PanelSettings settings, ImageOrigin origin,
			RunState runState, Instant now) {
		Place place = origin.place();
		long id = jdbc
			.sql("""
					INSERT INTO comics (owner_id, idea, genre, style, model, layout, stage, provider, seed, steps, cfg_scale,
					                    sampler, run_state, requester_platform, requester_id, origin_platform, origin_kind,
					                    origin_space, origin_thread, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, 'idea', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
					RETURNING id""")
			.params(owner.value(), idea.idea(), idea.genre(), idea.style(), idea.model(), layout.key(),
					settings.provider(), settings.seed(), settings.steps(), settings.cfgScale(), settings.sampler(),
					runState == null ? null : key(runState), origin.requester().platform(), origin.requester().id(),
					place.platform(), place.kind().name(), place.space(), place.thread(), now.toEpochMilli(),
					now.toEpochMilli())
			.query(Long.class)
			.single();
		for (int i = 1; i <= 4; i++) {
			jdbc.sql("INSERT INTO comic_panels (comic_id, idx) VALUES (?, ?)").params(id, i).update();
		}
		return id;
	}

	Optional<Comic> find(long id) {
		return jdbc.sql(SELECT_COMIC + " WHERE id = ?")
			.param(id)
			.query(this::map)
			.optional()
			.map(comic -> withPanels(comic, panels(List.of(id)).getOrDefault(id, List.of())));
	}

	/** The owner's comics, newest work first. */
	List<Comic> listByOwner(UserId owner, int limit, int offset) {
		List<Comic> comics = jdbc
			.sql(SELECT_COMIC + " WHERE owner_id = ? ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?")
			.params(owner.value(), limit, offset)
			.query(this::map)
			.list();
		if (comics.isEmpty()) {
			return comics;
		}
		Map<Long, List<Panel>> panels = panels(comics.stream().map(comic -> comic.id().value()).toList());
		return comics.stream()
			.map(comic -> withPanels(comic, panels.getOrDefault(comic.id().value(), List.of())))
			.toList();
	}

	long countByOwner(UserId owner) {
		return jdbc.sql("SELECT COUNT(*) FROM comics WHERE owner_id = ?")
			.param(owner.value())
			.query(Long.class)
			.single();
	}

	void updateIdea(long id, ComicIdea idea, Layout layout, Instant now) {
		jdbc.sql("UPDATE comics SET idea = ?, genre = ?, style = ?, model = ?, layout = ?, updated_at = ? WHERE id = ?")
			.params(idea.idea(), idea.genre(), idea.style(), idea.model(), layout.key(), now.toEpochMilli(), id)
			.update();
	}

	/** The story's title and every panel's text; moves the stage up to story. */
	void updateStory(long id, String title, List<StoryEdit.PanelText> panels, Instant now) {
		jdbc.sql("UPDATE comics SET title = ?, stage = CASE WHEN stage = 'idea' THEN 'story' ELSE stage END, "
				+ "updated_at = ? WHERE id = ?")
			.params(title, now.toEpochMilli(), id)
			.update();
		for (int i = 0; i < panels.size(); i++) {
			updatePanelText(id, i + 1, panels.get(i));
		}
	}

	void updatePanelText(long id, int index, StoryEdit.PanelText text) {
		jdbc.sql(
				"UPDATE comic_panels SET scene = ?, characters = ?, dialogue = ?, caption = ? WHERE comic_id = ? AND idx = ?")
			.params(text.scene(), text.characters(), text.dialogue(), text.caption(), id, index)
			.update();
	}

	/**
	 * The character sheet, style line and every panel's prompts; moves the stage up to
	 * prompts.
	 */
	void updatePrompts(long id, String characterSheet, String styleLine, List<PromptsEdit.PanelPrompt> prompts,
			Instant now) {
		jdbc.sql("""
				UPDATE comics SET character_sheet = ?, style_line = ?,
				       stage = CASE WHEN stage IN ('idea', 'story') THEN 'prompts' ELSE stage END, updated_at = ?
				 WHERE id = ?""").params(characterSheet, styleLine, now.toEpochMilli(), id).update();
		for (int i = 0; i < prompts.size(); i++) {
			jdbc.sql("UPDATE comic_panels SET prompt = ?, negative_prompt = ? WHERE comic_id = ? AND idx = ?")
				.params(prompts.get(i).prompt(), prompts.get(i).negativePrompt(), id, i + 1)
				.update();
		}
	}

	void updateSettings(long id, PanelSettings settings, Instant now) {
		jdbc.sql(
				"UPDATE comics SET provider = ?, seed = ?, steps = ?, cfg_scale = ?, sampler = ?, updated_at = ? WHERE id = ?")
			.params(settings.provider(), settings.seed(), settings.steps(), settings.cfgScale(), settings.sampler(),
					now.toEpochMilli(), id)
			.update();
	}

	/**
	 * Points a panel at a new image job; its current image stays until a candidate of the
	 * new job is chosen. Moves the stage up to panels.
	 */
	void setPanelJob(long id, int index, ImageJobId job, Instant now) {
		jdbc.sql("UPDATE comic_panels SET job_id = ?, candidate = NULL WHERE comic_id = ? AND idx = ?")
			.params(job.value(), id, index)
			.update();
		jdbc.sql(
				"UPDATE comics SET stage = CASE WHEN stage IN ('idea', 'story', 'prompts') THEN 'panels' ELSE stage END, "
						+ "updated_at = ? WHERE id = ?")
			.params(now.toEpochMilli(), id)
			.update();
	}

	/**
	 * Makes a candidate of the panel's current job the panel. With {@code onlyIfUnchosen}
	 * it changes nothing when a candidate of that job was chosen already (the automatic
	 * choice must not override the user's).
	 */
	boolean choose(long id, int index, long job, int candidate, String sha256, boolean onlyIfUnchosen, Instant now) {
		int updated = jdbc
			.sql("UPDATE comic_panels SET candidate = ?, image_sha256 = ? WHERE comic_id = ? AND idx = ? "
					+ "AND job_id = ?" + (onlyIfUnchosen ? " AND candidate IS NULL" : ""))
			.params(candidate, sha256, id, index, job)
			.update();
		if (updated == 1) {
			touch(id, now);
		}
		return updated == 1;
	}

	void setStrip(long id, String sha256, Layout layout, Instant now) {
		jdbc.sql("UPDATE comics SET strip_sha256 = ?, layout = ?, stage = 'strip', updated_at = ? WHERE id = ?")
			.params(sha256, layout.key(), now.toEpochMilli(), id)
			.update();
	}

	/** Sets a running comic's run state; false when it was not running any more. */
	boolean finishRun(long id, RunState state, String reason, Instant now) {
		return jdbc.sql(
				"UPDATE comics SET run_state = ?, failure_reason = ?, updated_at = ? WHERE id = ? AND run_state = 'running'")
			.params(key(state), reason, now.toEpochMilli(), id)
			.update() == 1;
	}

	/** The comics and panels that a job draws: (comic id, panel index) pairs. */
	List<long[]> panelsOfJob(long job) {
		return jdbc.sql("SELECT comic_id, idx FROM comic_panels WHERE job_id = ?")
			.param(job)
			.query((row, i) -> new long[] { row.getLong(1), row.getInt(2) })
			.list();
	}

	boolean delete(long id) {
		return jdbc.sql("DELETE FROM comics WHERE id = ?").param(id).update() == 1;
	}

	private void touch(long id, Instant now) {
		jdbc.sql("UPDATE comics SET updated_at = ? WHERE id = ?").params(now.toEpochMilli(), id).update();
	}

	private Map<Long, List<Panel>> panels(List<Long> comicIds) {
		String marks = String.join(", ", comicIds.stream().map(any -> "?").toList());
		Map<Long, List<Panel>> byComic = new HashMap<>();
		jdbc.sql(SELECT_PANELS + " WHERE comic_id IN (" + marks + ") ORDER BY comic_id, idx")
			.params(comicIds.toArray())
			.query((ResultSet row) -> {
				long job = row.getLong("job_id");
				ImageJobId jobId = row.wasNull() ? null : new ImageJobId(job);
				int candidate = row.getInt("candidate");
				Integer chosen = row.wasNull() ? null : candidate;
				byComic.computeIfAbsent(row.getLong("comic_id"), key -> new ArrayList<>())
					.add(new Panel(row.getInt("idx"), row.getString("scene"), row.getString("characters"),
							row.getString("dialogue"), row.getString("caption"), row.getString("prompt"),
							row.getString("negative_prompt"), jobId, chosen, row.getString("image_sha256")));
			});
		return byComic;
	}

	private static Comic withPanels(Comic comic, List<Panel> panels) {
		List<Panel> four = new ArrayList<>(panels);
		for (int i = four.size() + 1; i <= 4; i++) {
			four.add(Panel.empty(i));
		}
		return new Comic(comic.id(), comic.owner(), comic.idea(), comic.genre(), comic.style(), comic.model(),
				comic.layout(), comic.stage(), comic.title(), comic.characterSheet(), comic.styleLine(),
				comic.settings(), four, comic.stripSha256(), comic.runState(), comic.failureReason(), comic.origin(),
				comic.createdAt(), comic.updatedAt());
	}

	private Comic map(ResultSet row, int rowNumber) throws SQLException {
		long seed = row.getLong("seed");
		Long seedValue = row.wasNull() ? null : seed;
		int steps = row.getInt("steps");
		Integer stepsValue = row.wasNull() ? null : steps;
		double cfg = row.getDouble("cfg_scale");
		Double cfgValue = row.wasNull() ? null : cfg;
		String runState = row.getString("run_state");
		ImageOrigin origin = new ImageOrigin(
				new PlatformUserId(row.getString("requester_platform"), row.getString("requester_id")),
				new Place(row.getString("origin_platform"), PlaceKind.valueOf(row.getString("origin_kind")),
						row.getString("origin_space"), row.getString("origin_thread")));
		return new Comic(new ComicId(row.getLong("id")), new UserId(row.getLong("owner_id")), row.getString("idea"),
				row.getString("genre"), row.getString("style"), row.getString("model"),
				Layout.valueOf(row.getString("layout").toUpperCase(Locale.ROOT)),
				ComicStage.valueOf(row.getString("stage").toUpperCase(Locale.ROOT)), row.getString("title"),
				row.getString("character_sheet"), row.getString("style_line"),
				new PanelSettings(row.getString("provider"), seedValue, stepsValue, cfgValue, row.getString("sampler")),
				List.of(), row.getString("strip_sha256"),
				runState == null ? null : RunState.valueOf(runState.toUpperCase(Locale.ROOT)),
				row.getString("failure_reason"), origin, Instant.ofEpochMilli(row.getLong("created_at")),
				Instant.ofEpochMilli(row.getLong("updated_at")));
	}

	private static String key(RunState state) {
		return state.name().toLowerCase(Locale.ROOT);
	}

}
