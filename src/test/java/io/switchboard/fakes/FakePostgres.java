package io.switchboard.fakes;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A PostgreSQL server on 127.0.0.1 that asks for a password and refuses every one, in the
 * real frontend/backend protocol (version 3.0): it declines SSL and GSS encryption
 * ({@code N}), answers the startup message with {@code AuthenticationCleartextPassword},
 * reads the {@code PasswordMessage} and ends with the {@code ErrorResponse} a server with
 * {@code password} authentication sends: {@code FATAL 28P01 password authentication
 * failed for user "..."}. The machine's own PostgreSQL trusts every local login, so it
 * cannot show a refused password.
 */
public final class FakePostgres implements AutoCloseable {

	private static final int SSL_REQUEST = 80877103;

	private static final int GSS_ENCRYPTION_REQUEST = 80877104;

	private static final int PROTOCOL_3 = 196608;

	private final ServerSocket server;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	private final List<Map<String, String>> logins = new CopyOnWriteArrayList<>();

	private FakePostgres() {
		try {
			server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException failed) {
			throw new UncheckedIOException(failed);
		}
		executor.submit(this::accept);
	}

	public static FakePostgres start() {
		return new FakePostgres();
	}

	/** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + "/" + database;
	}

	/**
	 * Every login tried: the startup message's parameters ({@code user},
	 * {@code database}, ...) and the {@code password} sent.
	 */
	public List<Map<String, String>> logins() {
		return List.copyOf(logins);
	}

	private void accept() {
		while (!server.isClosed()) {
			try {
				Socket client = server.accept();
				executor.submit(() -> refuse(client));
			}
			catch (IOException closed) {
				return;
			}
		}
	}

	private void refuse(Socket client) {
		try (client) {
			DataInputStream in = new DataInputStream(client.getInputStream());
			DataOutputStream out = new DataOutputStream(client.getOutputStream());
			Map<String, String> startup;
			while (true) {
				int length = in.readInt();
				int code = in.readInt();
				if (code == SSL_REQUEST || code == GSS_ENCRYPTION_REQUEST) {
					out.writeByte('N');
					out.flush();
					continue;
				}
				if (code != PROTOCOL_3) {
					return;
				}
				startup = parameters(in.readNBytes(length - 8));
				break;
			}
			// AuthenticationCleartextPassword
			out.writeByte('R');
			out.writeInt(8);
			out.writeInt(3);
			out.flush();
			if (in.readByte() != 'p') {
				return;
			}
			byte[] password = in.readNBytes(in.readInt() - 4);
			Map<String, String> login = new LinkedHashMap<>(startup);
			login.put("password", new String(password, 0, Math.max(0, password.length - 1), StandardCharsets.UTF_8));
			logins.add(login);
			error(out, "password authentication failed for user \"" + startup.get("user") + "\"");
		}
		catch (IOException gone) {
			// the client hung up first
		}
	}

	private static Map<String, String> parameters(byte[] body) {
		Map<String, String> parameters = new LinkedHashMap<>();
		String[] parts = new String(body, StandardCharsets.UTF_8).split("\0");
		for (int i = 0; i + 1 < parts.length; i += 2) {
			parameters.put(parts[i], parts[i + 1]);
		}
		return parameters;
	}

	private static void error(DataOutputStream out, String message) throws IOException {
		ByteArrayOutputStream fields = new ByteArrayOutputStream();
		field(fields, 'S', "FATAL");
		field(fields, 'V', "FATAL");
		field(fields, 'C', "28P01");
		field(fields, 'M', message);
		field(fields, 'R', "auth_failed");
		fields.write(0);
		out.writeByte('E');
		out.writeInt(4 + fields.size());
		fields.writeTo(out);
		out.flush();
	}

	private static void field(ByteArrayOutputStream fields, char type, String value) {
		fields.write(type);
		fields.writeBytes(value.getBytes(StandardCharsets.UTF_8));
		fields.write(0);
	}

	@Override
	public void close() {
		try {
			server.close();
		}
		catch (IOException ignored) {
			// closing anyway
		}
		executor.shutdownNow();
	}

}
