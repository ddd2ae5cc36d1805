package io.switchboard.channel;

import io.switchboard.testsupport.Postgres;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The pipeline's rows on PostgreSQL, in a fresh schema. Skips with a message when no
 * server answers, unless CI makes PostgreSQL mandatory.
 */
class PostgresPipelineStorageTest extends PipelineStorageContract {

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
