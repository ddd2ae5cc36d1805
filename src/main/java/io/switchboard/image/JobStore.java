package io.switchboard.image;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.UserId;
import io.switchboard.media.MediaRef;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The image jobs table, in plain SQL that both databases run. Every state change is a
 * conditional update ({@code WHERE state IN ...}), so a cancelled or finished job is
 * never patched back to life by a late provider answer.
 */
@Repository
class JobStore {

	private static final String ACTIVE = "('submitted', 'running')";

	private static final String SELECT_JOB = """
			SELECT j.*, g.mime_type AS grid_mime, g.size_bytes AS grid_size, g.width AS grid_width,
			       g.height AS grid_height
			FROM image_jobs j LEFT JOIN media g ON g.sha256 = j.grid_sha256
			""";

	private final JdbcClient jdbc;

	JobStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A new job, as recorded before any provider is called. */
	record NewJob(UserId owner, JobKind kind, JobKind work, ImageJobId parent, Integer parentIndex, String sourceSha256,
			String prompt, String negativePrompt, ImageSettings settings, ImageOrigin origin) {
	}

	/** A job with what only the engine needs. */
	record StoredJob(ImageJob job, JobKind work, String sourceSha256, String providerState, int attempts,
			Instant submittedAt) {

		long id() {
			return job.id().value();
		}

	}

	long insert(NewJob job, Instant now) {
		ImageSettings s = job.settings();
		Place place = job.origin().place();
		return jdbc
			.sql("""
					INSERT INTO image_jobs (owner_id, kind, work, parent_id, parent_index, source_sha256, prompt,
					                        negative_prompt, provider, model, width, height, seed, steps, cfg_scale, sampler,
					                        state, progress, requester_platform, requester_id, origin_platform, origin_kind,
					                        origin_space, origin_thread, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?, ?, ?, ?, ?)
					RETURNING id""")
			.params(job.owner().value(), db(job.kind()), db(job.work()),
					job.parent() == null ? null : job.parent().value(), job.parentIndex(), job.sourceSha256(),
					job.prompt(), job.negativePrompt(), s.provider(), s.model(), s.width(), s.height(), s.seed(),
					s.steps(), s.cfgScale(), s.sampler(), job.origin().requester().platform(),
					job.origin().requester().id(), place.platform(), place.kind().name(), place.space(), place.thread(),
					now.toEpochMilli(), now.toEpochMilli())
			.query(Long.class)
			.single();
	}

	Optional<StoredJob> find(long id) {
		return jdbc.sql(SELECT_JOB + "WHERE j.id = ?").param(id).query(this::map).optional();
	}

	List<ImageJob> listByOwner(UserId owner, int limit, int offset) {
		return jdbc.sql(SELECT_JOB + "WHERE j.owner_id = ? ORDER BY j.id DESC LIMIT ? OFFSET ?")
			.params(owner.value(), limit, offset)
			.query(this::map)
			.list()
			.stream()
			.map(StoredJob::job)
			.toList();
	}

	List<ImageJob> children(long parent) {
		return jdbc.sql(SELECT_JOB + "WHERE j.parent_id = ? ORDER BY j.id")
			.param(parent)
			.query(this::map)
			.list()
			.stream()
			.map(StoredJob::job)
			.toList();
	}

	long countQueued(String provider) {
		return jdbc.sql("SELECT COUNT(*) FROM image_jobs WHERE provider = ? AND state = 'queued'")
			.param(provider)
			.query(Long.class)
			.single();
	}

	/**
	 * Moves a queued job to submitted when its provider and its owner have a free slot,
	 * and no older job of the same owner waits for the same provider (each user's jobs
	 * keep their order). Must run in a transaction: the provider's lock row makes
	 * PostgreSQL nodes take turns.
	 */
	boolean admit(long id, String provider, UserId owner, int providerLimit, int userLimit, Instant now) {
		jdbc.sql("""
				INSERT INTO image_provider_locks (provider, touched_at) VALUES (?, ?)
				ON CONFLICT (provider) DO UPDATE SET touched_at = excluded.touched_at""")
			.params(provider, now.toEpochMilli())
			.update();
		return jdbc.sql("""
				UPDATE image_jobs SET state = 'submitted', submitted_at = ?, updated_at = ?
				WHERE id = ? AND state = 'queued'
				  AND (SELECT COUNT(*) FROM image_jobs a WHERE a.provider = ? AND a.state IN %s) < ?
				  AND (SELECT COUNT(*) FROM image_jobs a WHERE a.owner_id = ? AND a.state IN %s) < ?
				  AND NOT EXISTS (SELECT 1 FROM image_jobs q WHERE q.owner_id = ? AND q.provider = ?
				                  AND q.state = 'queued' AND q.id < ?)""".formatted(ACTIVE, ACTIVE))
			.params(now.toEpochMilli(), now.toEpochMilli(), id, provider, providerLimit, owner.value(), userLimit,
					owner.value(), provider, id)
			.update() == 1;
	}

	/** Records where the provider is; false when the job has finished meanwhile. */
	boolean progress(long id, JobState state, String taskId, int progress, Instant now) {
		return jdbc.sql("""
				UPDATE image_jobs SET state = ?, provider_task_id = ?, progress = ?, updated_at = ?
				WHERE id = ? AND state IN %s""".formatted(ACTIVE))
			.params(db(state), taskId, progress, now.toEpochMilli(), id)
			.update() == 1;
	}

	/**
	 * Counts a failed attempt; when {@code resend}, forgets the task so it is sent again.
	 */
	boolean attemptFailed(long id, boolean resend, Instant now) {
		return jdbc.sql("""
				UPDATE image_jobs SET attempts = attempts + 1, updated_at = ?,
				       provider_task_id = CASE WHEN ? THEN NULL ELSE provider_task_id END
				WHERE id = ? AND state IN %s""".formatted(ACTIVE)).params(now.toEpochMilli(), resend, id).update() == 1;
	}

	/** Records the results; must run in a transaction with the candidates' insert. */
	boolean succeed(long id, List<String> candidates, String grid, String taskId, String providerState, Instant now) {
		int updated = jdbc.sql("""
				UPDATE image_jobs SET state = 'succeeded', progress = 100, grid_sha256 = ?,
				       provider_task_id = COALESCE(?, provider_task_id), provider_state = ?, updated_at = ?,
				       finished_at = ?
				WHERE id = ? AND state IN %s""".formatted(ACTIVE))
			.params(grid, taskId, providerState, now.toEpochMilli(), now.toEpochMilli(), id)
			.update();
		if (updated != 1) {
			return false;
		}
		for (int i = 0; i < candidates.size(); i++) {
			jdbc.sql("INSERT INTO image_candidates (job_id, idx, sha256) VALUES (?, ?, ?)")
				.params(id, i + 1, candidates.get(i))
				.update();
		}
		return true;
	}

	/** Fails a job that has not finished; false when it had. */
	boolean fail(long id, String reason, Instant now) {
		return jdbc.sql("""
				UPDATE image_jobs SET state = 'failed', failure_reason = ?, updated_at = ?, finished_at = ?
				WHERE id = ? AND state IN ('queued', 'submitted', 'running')""")
			.params(reason, now.toEpochMilli(), now.toEpochMilli(), id)
			.update() == 1;
	}

	boolean cancel(long id, Instant now) {
		return jdbc.sql("""
				UPDATE image_jobs SET state = 'cancelled', updated_at = ?, finished_at = ?
				WHERE id = ? AND state IN ('queued', 'submitted', 'running')""")
			.params(now.toEpochMilli(), now.toEpochMilli(), id)
			.update() == 1;
	}

	/** The oldest queued jobs of a provider, to wake when a slot frees. */
	List<Long> oldestQueued(String provider, int limit) {
		return jdbc.sql("SELECT id FROM image_jobs WHERE provider = ? AND state = 'queued' ORDER BY id LIMIT ?")
			.params(provider, limit)
			.query(Long.class)
			.list();
	}

	/** The oldest queued jobs of a user, to wake when one of theirs finishes. */
	List<Long> oldestQueuedOf(UserId owner, int limit) {
		return jdbc.sql("SELECT id FROM image_jobs WHERE owner_id = ? AND state = 'queued' ORDER BY id LIMIT ?")
			.params(owner.value(), limit)
			.query(Long.class)
			.list();
	}

	/** The unfinished job a provider knows by this task id. */
	Optional<Long> findByTask(String provider, String taskId) {
		return jdbc.sql("""
				SELECT id FROM image_jobs WHERE provider = ? AND provider_task_id = ?
				AND state IN ('queued', 'submitted', 'running') ORDER BY id DESC LIMIT 1""")
			.params(provider, taskId)
			.query(Long.class)
			.optional();
	}

	private List<Candidate> candidates(long id) {
		return jdbc.sql("""
				SELECT c.idx, m.sha256, m.mime_type, m.size_bytes, m.width, m.height
				FROM image_candidates c JOIN media m ON m.sha256 = c.sha256
				WHERE c.job_id = ? ORDER BY c.idx""")
			.param(id)
			.query((row, i) -> new Candidate(row.getInt(1),
					new MediaRef(row.getString(2), row.getString(3), row.getLong(4), row.getInt(5), row.getInt(6))))
			.list();
	}

	private StoredJob map(ResultSet row, int rowNumber) throws SQLException {
		long id = row.getLong("id");
		JobState state = JobState.valueOf(row.getString("state").toUpperCase(Locale.ROOT));
		ImageSettings settings = new ImageSettings(row.getString("provider"), row.getString("model"),
				integer(row, "width"), integer(row, "height"), longValue(row, "seed"), integer(row, "steps"),
				doubleValue(row, "cfg_scale"), row.getString("sampler"));
		String gridSha = row.getString("grid_sha256");
		MediaRef grid = gridSha == null ? null : new MediaRef(gridSha, row.getString("grid_mime"),
				row.getLong("grid_size"), row.getInt("grid_width"), row.getInt("grid_height"));
		Long parent = longValue(row, "parent_id");
		ImageOrigin origin = new ImageOrigin(
				new PlatformUserId(row.getString("requester_platform"), row.getString("requester_id")),
				new Place(row.getString("origin_platform"), PlaceKind.valueOf(row.getString("origin_kind")),
						row.getString("origin_space"), row.getString("origin_thread")));
		List<Candidate> candidates = state == JobState.SUCCEEDED ? candidates(id) : List.of();
		ImageJob job = new ImageJob(new ImageJobId(id), new UserId(row.getLong("owner_id")),
				kind(row.getString("kind")), parent == null ? null : new ImageJobId(parent),
				integer(row, "parent_index"), row.getString("prompt"), row.getString("negative_prompt"), settings,
				row.getString("provider"), row.getString("provider_task_id"), state, row.getInt("progress"),
				row.getString("failure_reason"), candidates, grid, origin, instant(row, "created_at"),
				instant(row, "updated_at"), instant(row, "finished_at"));
		return new StoredJob(job, kind(row.getString("work")), row.getString("source_sha256"),
				row.getString("provider_state"), row.getInt("attempts"), instant(row, "submitted_at"));
	}

	static String db(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

	private static JobKind kind(String value) {
		return JobKind.valueOf(value.toUpperCase(Locale.ROOT));
	}

	private static Integer integer(ResultSet row, String column) throws SQLException {
		int value = row.getInt(column);
		return row.wasNull() ? null : value;
	}

	private static Long longValue(ResultSet row, String column) throws SQLException {
		long value = row.getLong(column);
		return row.wasNull() ? null : value;
	}

	private static Double doubleValue(ResultSet row, String column) throws SQLException {
		double value = row.getDouble(column);
		return row.wasNull() ? null : value;
	}

	private static Instant instant(ResultSet row, String column) throws SQLException {
		long value = row.getLong(column);
		return row.wasNull() ? null : Instant.ofEpochMilli(value);
	}

}
