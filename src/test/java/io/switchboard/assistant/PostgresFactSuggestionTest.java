package io.switchboard.assistant;

import io.switchboard.testsupport.Postgres;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Proposed facts on PostgreSQL, in a fresh schema: the pending proposals are read by
 * prefix from the confirmation store, whose SQL must hold on both databases.
 */
class PostgresFactSuggestionTest extends FactSuggestionTest {

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
