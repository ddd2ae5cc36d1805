package io.switchboard.channel;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Turns under way in the SQL database's {@code channel_turns} table.
 */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "jdbc", matchIfMissing = true)
class JdbcTurnStore implements TurnStore {

	private static final String COLUMNS = "id, answer_id, delivery_id, platform, lane, user_id, provider, attempts";

	private static final RowMapper<Row> ROW = (row, i) -> new Row(row.getLong(1), row.getLong(2), row.getLong(3),
			row.getString(4), row.getString(5), row.getLong(6), row.getString(7), row.getInt(8));

	private final JdbcClient jdbc;

	private final boolean sqlite;

	JdbcTurnStore(JdbcClient jdbc, DataSource dataSource) {
		this.jdbc = jdbc;
		this.sqlite = isSqlite(dataSource);
	}

	/** Records a turn, held by {@code node} until {@code leaseUntil}. */
	@Override
	public Row insert(long answerId, long deliveryId, String platform, String lane, long userId, String provider,
			String node, long leaseUntil, long now) {
		long id = jdbc.sql("""
				INSERT INTO channel_turns (answer_id, delivery_id, platform, lane, user_id, provider, node, lease_until,
				                           attempts, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?) RETURNING id""")
			.params(answerId, deliveryId, platform, lane, userId, provider, node, leaseUntil, now)
			.query(Long.class)
			.single();
		return new Row(id, answerId, deliveryId, platform, lane, userId, provider, 1);
	}

	/**
	 * Turns whose lease has run out (their node died or stopped), or every turn when
	 * {@code all}, oldest first.
	 */
	@Override
	public List<Row> orphaned(long now, boolean all, int limit) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM channel_turns WHERE (lease_until < ? OR ?) ORDER BY id LIMIT ?")
			.params(now, all, limit)
			.query(ROW)
			.list();
	}

	/**
	 * Takes an orphaned turn over: false when another node was quicker or its holder
	 * renewed it. {@code all} takes it whatever its lease says (the only node of an
	 * SQLite database, just started).
	 */
	@Override
	public boolean takeOver(long id, String node, long leaseUntil, long now, boolean all) {
		return jdbc.sql("""
				UPDATE channel_turns SET node = ?, lease_until = ?, attempts = attempts + 1
				 WHERE id = ? AND (lease_until < ? OR (? AND (node IS NULL OR node <> ?)))""")
			.params(node, leaseUntil, id, now, all, node)
			.update() == 1;
	}

	@Override
	public boolean claim(long id, String from, String node, long leaseUntil, long now) {
		// a null from matches no node (NULL = NULL is not true)
		return jdbc.sql("""
				UPDATE channel_turns SET node = ?, lease_until = ?
				 WHERE id = ? AND (node IS NULL OR node = ? OR node = ? OR lease_until < ?)""")
			.params(node, leaseUntil, id, node, from, now)
			.update() == 1;
	}

	/** Renews every lease a node holds. */
	@Override
	public int renew(String node, long leaseUntil) {
		return jdbc.sql("UPDATE channel_turns SET lease_until = ? WHERE node = ?").params(leaseUntil, node).update();
	}

	/** Lets go of a node's turns at once, for another node to finish (at shutdown). */
	@Override
	public int letGo(String node) {
		return jdbc.sql("UPDATE channel_turns SET lease_until = 0, node = NULL WHERE node = ?").param(node).update();
	}

	@Override
	public boolean letGoOne(long id) {
		return jdbc.sql("UPDATE channel_turns SET lease_until = 0, node = NULL WHERE id = ?").param(id).update() == 1;
	}

	/** The turn is over: its question is settled and its delivery due. */
	@Override
	public void delete(long id) {
		jdbc.sql("DELETE FROM channel_turns WHERE id = ?").param(id).update();
	}

	@Override
	public int count() {
		return jdbc.sql("SELECT COUNT(*) FROM channel_turns").query(Integer.class).single();
	}

	/** An SQLite file has one node: the process that opened it. */
	@Override
	public boolean singleNode() {
		return sqlite;
	}

	private static boolean isSqlite(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			return "SQLite".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
		}
		catch (SQLException unreachable) {
			throw new IllegalStateException("cannot reach the database", unreachable);
		}
	}

}
