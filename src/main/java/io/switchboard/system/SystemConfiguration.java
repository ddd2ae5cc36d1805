package io.switchboard.system;

import java.time.Clock;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** Beans every module may use. */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

	/**
	 * Every module writes through this template. Called inside another module's
	 * transaction (the channel intake stores a message and carries out a command in one),
	 * it runs as a savepoint: a write that fails is undone on its own and the caller may
	 * carry on (a full image queue becomes a reply, not a failed intake), while
	 * everything still commits or rolls back together. Called outside one, it is a
	 * transaction of its own, as usual.
	 */
	@Bean
	TransactionTemplate transactionTemplate(PlatformTransactionManager transactions) {
		TransactionTemplate template = new TransactionTemplate(transactions);
		template.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		return template;
	}

	/**
	 * On SQLite, writers take their turn in the JVM rather than in SQLite's busy handler
	 * (see {@link SqliteWriters}).
	 */
	@Bean
	static BeanPostProcessor sqliteWriters() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null
						&& pool.getJdbcUrl().startsWith("jdbc:sqlite:")) {
					return new SqliteWriters(pool);
				}
				return bean;
			}
		};
	}

	/** One clock for the whole server, so tests can set the time. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
