package io.switchboard.assistant;

import io.switchboard.testsupport.Postgres;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Compaction, cached tokens and memory on PostgreSQL, in a fresh schema: the same SQL
 * must hold on both databases. Skips with a message when no server answers, unless CI
 * makes PostgreSQL mandatory.
 */
class PostgresCompactionTest extends CompactionTest {

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
