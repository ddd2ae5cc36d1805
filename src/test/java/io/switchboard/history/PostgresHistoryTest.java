package io.switchboard.history;

import io.switchboard.testsupport.Postgres;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Search and export on PostgreSQL, with its full-text search over a GIN index, in a fresh
 * schema; skips with a message when no server answers, unless CI makes PostgreSQL
 * mandatory.
 */
class PostgresHistoryTest extends HistoryContract {

	@BeforeAll
	static void requirePostgres() {
		Postgres.requireOrSkip();
	}

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", Postgres::newSchema);
		registry.add("spring.datasource.username", () -> Postgres.USER);
		registry.add("spring.datasource.password", () -> "");
	}

}
