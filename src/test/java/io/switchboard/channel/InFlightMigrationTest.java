package io.switchboard.channel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testsupport.Postgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading a database that has work in flight in the old delivery mechanisms: what they
 * had not sent yet becomes deliveries, the old inbox's unprocessed platform events become
 * the backlog each channel takes in again, and the old tables are gone. On SQLite and
 * PostgreSQL.
 */
class InFlightMigrationTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	@TempDir
	Path folder;

	@Test
	void onSqlite() throws Exception {
		Path file = folder.resolve("old.db");
		Files.deleteIfExists(file);
		upgrade(new DriverManagerDataSource("jdbc:sqlite:" + file + "?foreign_keys=true"), "sqlite");
	}

	@Test
	void onPostgres() throws Exception {
		Postgres.requireOrSkip();
		upgrade(new DriverManagerDataSource(Postgres.newSchema(), Postgres.USER, ""), "postgresql");
	}

	private void upgrade(DataSource database, String dialect) throws Exception {
		flyway(database, dialect, "60").migrate();
		JdbcClient jdbc = JdbcClient.create(database);
		long now = System.currentTimeMillis();
		long user = jdbc.sql("""
				INSERT INTO users (display_name, state, created_at, updated_at, modified_at)
				VALUES ('Old', 'active', ?, ?, ?) RETURNING id""").params(now, now, now).query(Long.class).single();
		long job = jdbc
			.sql("""
					INSERT INTO image_jobs (owner_id, kind, work, prompt, provider, state, requester_platform, requester_id,
					                        origin_platform, origin_kind, origin_space, created_at, updated_at)
					VALUES (?, 'origin', 'origin', 'a kite', 'demo', 'succeeded', 'line', 'U1', 'line', 'direct', NULL, ?, ?)
					RETURNING id""")
			.params(user, now, now)
			.query(Long.class)
			.single();
		// an answer written down but not sent, a sent one
		jdbc.sql("""
				INSERT INTO line_outbox (event_id, seq, chat_id, reply_token, reply_until, messages, created_at)
				VALUES ('ev-1', 0, 'U1', 'token', 1, ?, ?)""")
			.params("[{\"type\":\"text\",\"text\":\"Echo: lost in the upgrade\"}]", now)
			.update();
		jdbc.sql("""
				INSERT INTO line_outbox (event_id, seq, chat_id, messages, created_at, sent_at, sent_by)
				VALUES ('ev-0', 0, 'U1', '[{"type":"text","text":"long sent"}]', ?, ?, 'reply')""")
			.params(now, now)
			.update();
		// a Slack image job shown, not finished; a Discord one; a Discord comic to post
		jdbc.sql("""
				INSERT INTO slack_image_posts (job_id, channel_id, thread_ts, status_ts, created_at)
				VALUES (?, 'CART', '100.1', '100.2', ?)""").params(job, now).update();
		jdbc.sql("""
				INSERT INTO discord_image_messages (job_id, owner_id, channel_id, message_id, rendered, finished,
				                                    created_at, updated_at)
				VALUES (?, ?, 77, 88, 'RUNNING:40', ?, ?, ?)""").params(job, user, false, now, now).update();
		jdbc.sql("""
				INSERT INTO discord_comic_posts (comic_id, requester, channel_id, direct, title, strip_sha256, reason,
				                                 created_at)
				VALUES (5, '999', 0, ?, NULL, NULL, 'no story', ?)""").params(true, now).update();
		// the old inbox: a LINE event not processed yet, and its own follow-up of an
		// image
		jdbc.sql("INSERT INTO inbound_events (platform, event_id, received_at) VALUES ('line', 'ev-2', ?)")
			.param(now)
			.update();
		inboxTask(jdbc, "line", "ev-2", "{\"type\":\"message\",\"webhookEventId\":\"ev-2\"}");
		inboxTask(jdbc, "line", "image-job:" + job + ":succeeded", "{\"job\":" + job + ",\"owner\":" + user + "}");

		flyway(database, dialect, null).migrate();

		Map<String, JsonNode> contents = new java.util.HashMap<>();
		Map<String, JsonNode> addresses = new java.util.HashMap<>();
		jdbc.sql("SELECT platform, dedup_key, address, content, refs, shown, state FROM channel_deliveries")
			.query((row, i) -> {
				try {
					String key = row.getString(1) + "/" + row.getString(2);
					contents.put(key, JSON.readTree(row.getString(4)));
					addresses.put(key, JSON.readTree(row.getString(3)));
					assertThat(row.getString(7)).isEqualTo("pending");
					return key;
				}
				catch (IOException unreadable) {
					throw new IllegalStateException(unreadable);
				}
			})
			.list();
		assertThat(contents).containsOnlyKeys("line/event:outbox:ev-1", "slack/image:" + job, "discord/image:" + job,
				"discord/comic:5", "line/image:" + job);
		assertThat(contents.get("line/event:outbox:ev-1").path("replies").get(0).path("text").asText())
			.isEqualTo("Echo: lost in the upgrade");
		assertThat(addresses.get("line/event:outbox:ev-1").path("chat").asText()).isEqualTo("U1");
		assertThat(contents.get("slack/image:" + job).path("owner").asLong()).isEqualTo(user);
		assertThat(addresses.get("slack/image:" + job).path("thread").asText()).isEqualTo("100.1");
		assertThat(contents.get("discord/comic:5").path("failure").asText()).isEqualTo("no story");
		assertThat(addresses.get("discord/comic:5").path("dmUser").asText()).isEqualTo("999");
		assertThat(jdbc.sql("SELECT refs FROM channel_deliveries WHERE dedup_key = ? AND platform = 'discord'")
			.param("image:" + job)
			.query(String.class)
			.single()).contains("88");

		// the platform event waits in the backlog, its key forgotten so it is taken in
		// again
		assertThat(jdbc.sql("SELECT event_id FROM channel_backlog WHERE platform = 'line'").query(String.class).list())
			.containsExactly("ev-2");
		assertThat(
				jdbc.sql("SELECT COUNT(*) FROM inbound_events WHERE event_id = 'ev-2'").query(Integer.class).single())
			.isZero();
		assertThat(jdbc.sql("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'channel-inbound-event'")
			.query(Integer.class)
			.single()).isZero();
		for (String gone : List.of("line_outbox", "slack_replies", "slack_image_posts", "discord_image_messages",
				"discord_comic_posts")) {
			assertThat(tableExists(jdbc, dialect, gone)).as(gone).isFalse();
		}
	}

	private static Flyway flyway(DataSource database, String dialect, String target) {
		var configuration = Flyway.configure()
			.dataSource(database)
			.locations("classpath:db/migration/" + dialect, "classpath:db/migration/common");
		if (target != null) {
			configuration.target(target);
		}
		return configuration.load();
	}

	/** A task as db-scheduler kept it: the envelope Java-serialized. */
	private static void inboxTask(JdbcClient jdbc, String platform, String eventId, String payload) throws IOException {
		String envelope = JSON.createObjectNode()
			.put("platform", platform)
			.put("eventId", eventId)
			.put("payload", payload)
			.toString();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(envelope);
		}
		jdbc.sql("""
				INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version)
				VALUES ('channel-inbound-event', ?, ?, ?, ?, 1)""")
			.params(platform + ":" + eventId, bytes.toByteArray(), Timestamp.from(Instant.now()), false)
			.update();
	}

	private static boolean tableExists(JdbcClient jdbc, String dialect, String table) {
		String sql = dialect.equals("sqlite") ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
				: "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ? AND table_schema = current_schema()";
		return jdbc.sql(sql).param(table).query(Integer.class).single() > 0;
	}

}
