package io.switchboard.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;
import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Durable background work runs on db-scheduler in the application's own database.
 * PostgreSQL is detected by db-scheduler itself; SQLite needs its own dialect.
 */
@Configuration(proxyBeanMethods = false)
class SchedulerConfiguration {

	@Bean
	DbSchedulerCustomizer dbSchedulerCustomizer(DataSource dataSource) {
		boolean sqlite = isSqlite(dataSource);
		return new DbSchedulerCustomizer() {
			@Override
			public Optional<JdbcCustomization> jdbcCustomization() {
				return sqlite ? Optional.of(new SqliteJdbcCustomization()) : Optional.empty();
			}
		};
	}

	private static boolean isSqlite(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			return "SQLite".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
		}
		catch (SQLException unreachable) {
			throw new IllegalStateException("cannot reach the database to choose the scheduler's dialect", unreachable);
		}
	}

}
