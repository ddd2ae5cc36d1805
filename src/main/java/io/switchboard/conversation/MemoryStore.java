package io.switchboard.conversation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Users' remembered facts, oldest first. */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "jdbc", matchIfMissing = true)
class MemoryStore implements MemoryStorage {

	private final JdbcClient jdbc;

	MemoryStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<Fact> list(UserId user) {
		List<Fact> facts = new ArrayList<>();
		jdbc.sql("SELECT id, fact, created_at FROM user_memories WHERE user_id = ? ORDER BY id")
			.param(user.value())
			.query(row -> {
				facts.add(new Fact(row.getLong(1), facts.size() + 1, row.getString(2),
						Instant.ofEpochMilli(row.getLong(3))));
			});
		return facts;
	}

	@Override
	public long count(UserId user) {
		return jdbc.sql("SELECT COUNT(*) FROM user_memories WHERE user_id = ?")
			.param(user.value())
			.query(Long.class)
			.single();
	}

	@Override
	public void add(UserId user, String fact, Instant now) {
		jdbc.sql("INSERT INTO user_memories (user_id, fact, created_at) VALUES (?, ?, ?)")
			.params(user.value(), fact, now.toEpochMilli())
			.update();
	}

	@Override
	public boolean delete(UserId user, long id) {
		return jdbc.sql("DELETE FROM user_memories WHERE user_id = ? AND id = ?")
			.params(user.value(), id)
			.update() == 1;
	}

	@Override
	public int deleteAll(UserId user) {
		return jdbc.sql("DELETE FROM user_memories WHERE user_id = ?").param(user.value()).update();
	}

}
