package io.switchboard.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.AbstractSelectForUpdateBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.LockAndGetResult;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.SelectForUpdateBasedTransaction;
import io.github.bucket4j.distributed.remote.RemoteBucketState;

/**
 * Bucket4j's row-locking protocol on the {@code api_rate_buckets} table: a node locks the
 * key's row ({@code SELECT ... FOR UPDATE}), Bucket4j computes the new state, and the
 * node writes it and commits; nodes that want the same key meanwhile wait for the lock,
 * so no token is taken twice. Bucket4j's own PostgreSQL module does the same; it is not
 * published where this build resolves its libraries, so the few statements live here, on
 * a connection of the application's pool held for one request's check.
 */
final class PostgresRateBuckets extends AbstractSelectForUpdateBasedProxyManager<Long> {

	private final DataSource dataSource;

	PostgresRateBuckets(DataSource dataSource, ClientSideConfig config) {
		super(config);
		this.dataSource = dataSource;
	}

	@Override
	protected SelectForUpdateBasedTransaction allocateTransaction(Long key, Optional<Long> timeoutNanos) {
		Connection connection;
		try {
			connection = dataSource.getConnection();
		}
		catch (SQLException failed) {
			throw new BucketExceptions.BucketExecutionException(failed);
		}
		return new RowLock(connection, key);
	}

	@Override
	public void removeProxy(Long key) {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement delete = connection
					.prepareStatement("DELETE FROM api_rate_buckets WHERE key_id = ?")) {
			delete.setLong(1, key);
			delete.executeUpdate();
		}
		catch (SQLException failed) {
			throw new BucketExceptions.BucketExecutionException(failed);
		}
	}

	@Override
	public boolean isExpireAfterWriteSupported() {
		return false;
	}

	/** One check of one key's bucket: a transaction holding the key's row lock. */
	private final class RowLock implements SelectForUpdateBasedTransaction {

		private final Connection connection;

		private final long key;

		RowLock(Connection connection, long key) {
			this.connection = connection;
			this.key = key;
		}

		@Override
		public void begin(Optional<Long> timeoutNanos) {
			run(() -> connection.setAutoCommit(false));
		}

		@Override
		public LockAndGetResult tryLockAndGet(Optional<Long> timeoutNanos) {
			try (PreparedStatement select = connection
				.prepareStatement("SELECT state FROM api_rate_buckets WHERE key_id = ? FOR UPDATE")) {
				applyTimeout(select, timeoutNanos);
				select.setLong(1, key);
				try (ResultSet row = select.executeQuery()) {
					return row.next() ? LockAndGetResult.locked(row.getBytes(1)) : LockAndGetResult.notLocked();
				}
			}
			catch (SQLException failed) {
				throw new BucketExceptions.BucketExecutionException(failed);
			}
		}

		@Override
		public boolean tryInsertEmptyData(Optional<Long> timeoutNanos) {
			// a row made by another node first is as good: the next lock attempt takes it
			try (PreparedStatement insert = connection.prepareStatement(
					"INSERT INTO api_rate_buckets (key_id, state) VALUES (?, NULL) ON CONFLICT (key_id) DO NOTHING")) {
				applyTimeout(insert, timeoutNanos);
				insert.setLong(1, key);
				insert.executeUpdate();
				return true;
			}
			catch (SQLException failed) {
				throw new BucketExceptions.BucketExecutionException(failed);
			}
		}

		@Override
		public void update(byte[] data, RemoteBucketState newState, Optional<Long> timeoutNanos) {
			try (PreparedStatement update = connection
				.prepareStatement("UPDATE api_rate_buckets SET state = ? WHERE key_id = ?")) {
				applyTimeout(update, timeoutNanos);
				update.setBytes(1, data);
				update.setLong(2, key);
				update.executeUpdate();
			}
			catch (SQLException failed) {
				throw new BucketExceptions.BucketExecutionException(failed);
			}
		}

		@Override
		public void commit(Optional<Long> timeoutNanos) {
			run(connection::commit);
		}

		@Override
		public void rollback() {
			run(connection::rollback);
		}

		@Override
		public void release() {
			run(connection::close);
		}

		private void run(SqlStep step) {
			try {
				step.run();
			}
			catch (SQLException failed) {
				throw new BucketExceptions.BucketExecutionException(failed);
			}
		}

	}

	@FunctionalInterface
	private interface SqlStep {

		void run() throws SQLException;

	}

}
