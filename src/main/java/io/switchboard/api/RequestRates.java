package io.switchboard.api;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.ProxyManager;

import org.springframework.stereotype.Component;

/**
 * The requests-per-minute bucket of each limited key. On PostgreSQL, where several nodes
 * may serve one key, the bucket lives in the database ({@link PostgresRateBuckets}) and
 * every node takes from the same one: three nodes let through what one would. On SQLite
 * there is one process, and the bucket is kept in memory, costing no database work.
 */
@Component
class RequestRates {

	/** The buckets every node shares; null on SQLite. */
	private final ProxyManager<Long> shared;

	RequestRates(DataSource dataSource) {
		this.shared = isPostgres(dataSource) ? new PostgresRateBuckets(dataSource, ClientSideConfig.getDefault())
				: null;
	}

	/**
	 * The bucket of a key allowed {@code perMinute} requests a minute, refilled smoothly.
	 * A changed limit replaces the shared bucket's configuration on first use, keeping
	 * the tokens it held in proportion.
	 */
	Bucket bucket(long keyId, long perMinute) {
		Bandwidth limit = Bandwidth.builder()
			.capacity(perMinute)
			.refillGreedy(perMinute, Duration.ofMinutes(1))
			.build();
		if (shared == null) {
			return Bucket.builder().addLimit(limit).build();
		}
		BucketConfiguration configuration = BucketConfiguration.builder().addLimit(limit).build();
		return shared.builder()
			.withImplicitConfigurationReplacement(perMinute, TokensInheritanceStrategy.PROPORTIONALLY)
			.build(keyId, () -> configuration);
	}

	/** Whether the buckets are shared by every node (PostgreSQL). */
	boolean clusterWide() {
		return shared != null;
	}

	private static boolean isPostgres(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			return "PostgreSQL".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
		}
		catch (SQLException unreachable) {
			throw new IllegalStateException("cannot reach the database to choose where API rate buckets live",
					unreachable);
		}
	}

}
