package io.switchboard.comic;

import io.switchboard.testsupport.Postgres;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The comic flow on PostgreSQL, in a fresh schema: the same SQL must hold on both
 * databases. Skips with a message when no server answers, unless CI makes PostgreSQL
 * mandatory.
 */
class PostgresComicFlowTest extends ComicFlowTest {

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
