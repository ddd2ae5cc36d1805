package io.switchboard.system;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * SQLite's writers, one at a time, queued in the JVM. SQLite lets one connection write at
 * a time; the others wait in its busy handler, which sleeps inside native code. A virtual
 * thread in native code keeps its carrier thread, and the carriers are as many as the
 * cores: two waiting writers on two cores would stop every virtual thread of the server,
 * the current writer's included, until their busy timeout. So a connection takes this
 * fair lock before it writes (when its transaction begins, or around one writing
 * statement outside a transaction) and gives it back when the transaction ends: waiting
 * writers park like any virtual thread, readers (WAL) never wait, and SQLite's own busy
 * handler only ever waits for another process. Writers someone is waiting on go first
 * ({@link WritePriority}, {@link WriterTurns}).
 */
final class SqliteWriters extends DelegatingDataSource {

	private static final Set<String> WRITES = Set.of("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER",
			"BEGIN", "VACUUM", "REINDEX", "PRAGMA");

	private final WriterTurns writer = new WriterTurns();

	SqliteWriters(DataSource sqlite) {
		super(sqlite);
	}

	@Override
	public Connection getConnection() throws SQLException {
		return guarded(super.getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return guarded(super.getConnection(username, password));
	}

	/** Writers waiting for their turn now (for tests and metrics). */
	int waiting() {
		return writer.waiting();
	}

	private Connection guarded(Connection connection) {
		return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
				new Class<?>[] { Connection.class }, new Guard(connection));
	}

	/** Whether a statement writes: its first word, comments and spaces skipped. */
	static boolean writes(String sql) {
		int at = 0;
		int length = sql.length();
		while (at < length) {
			char c = sql.charAt(at);
			if (Character.isWhitespace(c) || c == '(') {
				at++;
			}
			else if (sql.startsWith("--", at)) {
				int end = sql.indexOf('\n', at);
				at = end < 0 ? length : end + 1;
			}
			else if (sql.startsWith("/*", at)) {
				int end = sql.indexOf("*/", at);
				at = end < 0 ? length : end + 2;
			}
			else {
				break;
			}
		}
		int end = at;
		while (end < length && Character.isLetter(sql.charAt(end))) {
			end++;
		}
		return WRITES.contains(sql.substring(at, end).toUpperCase(Locale.ROOT));
	}

	/** One connection: holds the writer lock for the length of its transactions. */
	private final class Guard implements InvocationHandler {

		private final Connection connection;

		/** Whether this connection holds the lock for a transaction. */
		private boolean holding;

		Guard(Connection connection) {
			this.connection = connection;
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
			switch (method.getName()) {
				case "setAutoCommit" -> {
					return setAutoCommit((Boolean) arguments[0]);
				}
				case "close" -> {
					try {
						return call(method, arguments);
					}
					finally {
						release();
					}
				}
				case "prepareStatement", "prepareCall" -> {
					Object statement = call(method, arguments);
					return !holding && writes((String) arguments[0]) ? guardedStatement((Statement) statement, true)
							: statement;
				}
				case "createStatement" -> {
					Statement statement = (Statement) call(method, arguments);
					return holding ? statement : guardedStatement(statement, false);
				}
				case "unwrap" -> {
					return ((Class<?>) arguments[0]).isInstance(proxy) ? proxy : call(method, arguments);
				}
				case "isWrapperFor" -> {
					return ((Class<?>) arguments[0]).isInstance(proxy) || (Boolean) call(method, arguments);
				}
				default -> {
					return call(method, arguments);
				}
			}
		}

		private Object setAutoCommit(boolean autoCommit) throws Throwable {
			if (!autoCommit && !holding && connection.getAutoCommit()) {
				// the driver begins an IMMEDIATE transaction now: take the turn first
				writer.lock(WritePriority.isUrgent());
				holding = true;
				try {
					connection.setAutoCommit(false);
				}
				catch (SQLException | RuntimeException failed) {
					release();
					throw failed;
				}
				return null;
			}
			connection.setAutoCommit(autoCommit);
			if (autoCommit) {
				release();
			}
			return null;
		}

		private void release() {
			if (holding) {
				holding = false;
				writer.unlock();
			}
		}

		private Object call(Method method, Object[] arguments) throws Throwable {
			try {
				return method.invoke(connection, arguments);
			}
			catch (InvocationTargetException failed) {
				throw failed.getCause();
			}
		}

		/**
		 * A statement outside a transaction that writes, or may: each execution waits for
		 * the writer's turn.
		 * @param writes known to write (prepared with its SQL); else decided per
		 * execution
		 */
		private Statement guardedStatement(Statement statement, boolean writes) {
			Class<?>[] types = statement instanceof java.sql.CallableStatement
					? new Class<?>[] { java.sql.CallableStatement.class }
					: statement instanceof java.sql.PreparedStatement
							? new Class<?>[] { java.sql.PreparedStatement.class } : new Class<?>[] { Statement.class };
			return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), types,
					(proxy, method, args) -> {
						boolean execution = method.getName().startsWith("execute");
						boolean lock = execution && !holding && (writes
								|| (args != null && args.length > 0 && args[0] instanceof String sql && writes(sql)));
						if (lock) {
							writer.lock(WritePriority.isUrgent());
						}
						try {
							if (method.getName().equals("getConnection")) {
								return connection;
							}
							return method.invoke(statement, args);
						}
						catch (InvocationTargetException failed) {
							throw failed.getCause();
						}
						finally {
							if (lock) {
								writer.unlock();
							}
						}
					});
		}

	}

}
