package io.switchboard.system;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

import io.switchboard.fakes.FakePostgres;
import io.switchboard.testsupport.Postgres;
import io.switchboard.testsupport.StandaloneApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A database that is missing, unreachable, refuses the login or cannot be written stops
 * start-up with one line that names the setting and the cause (and one saying what to
 * do), and no stack trace: what an operator following the README sees.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseStartupFailureTest {

	@TempDir
	Path data;

	/**
	 * Starts the server, expects it to stop, and returns the description line of the
	 * failure report it printed.
	 */
	/**
	 * The log records of the main thread (where a server starts), with what follows them.
	 */
	private static String startingThread(String printed) {
		StringBuilder kept = new StringBuilder();
		boolean main = true;
		for (String line : printed.split("\n", -1)) {
			if (LOG_RECORD.matcher(line).find()) {
				main = line.contains("[           main]");
			}
			if (main) {
				kept.append(line).append('\n');
			}
		}
		return kept.toString();
	}

	private static final Pattern LOG_RECORD = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\S+\\s+[A-Z]+ ");

	private static String failureLine(CapturedOutput output, String url, String... properties) {
		assertThatThrownBy(() -> StandaloneApplication.startOn(url, properties)).isNotNull();
		String printed = output.getAll();
		assertThat(printed).contains("APPLICATION FAILED TO START");
		String report = printed.substring(printed.lastIndexOf("APPLICATION FAILED TO START"));
		// the pool's own error and its trace are never printed (by the starting server:
		// clients left running by other tests in this JVM may log their own)
		assertThat(startingThread(printed)).doesNotContain("Exception during pool initialization")
			.doesNotContain("\tat ");
		String description = report.substring(report.indexOf("Description:") + "Description:".length()).strip();
		String line = description.lines().findFirst().orElseThrow();
		assertThat(description.lines().skip(1).findFirst().orElse("")).as("one line, then a blank one").isBlank();
		assertThat(report).contains("Action:");
		assertThat(printed.split(Pattern.quote(line), -1)).as("the cause said once, in the report").hasSize(2);
		return line;
	}

	@Test
	void aMissingPostgresDatabaseNamesTheUrlSettingAndSaysToCreateIt(CapturedOutput output) {
		Postgres.requireOrSkip();
		String name = "switchboard_missing_" + UUID.randomUUID().toString().substring(0, 8);
		String url = Postgres.URL.replaceFirst("/[^/?]+(\\?.*)?$", "/" + name);

		String line = failureLine(output, url, "spring.datasource.username=" + Postgres.USER);

		assertThat(line).startsWith("The database in spring.datasource.url (SPRING_DATASOURCE_URL) does not exist")
			.contains(url)
			.contains("database \"" + name + "\" does not exist");
		assertThat(output.getAll()).contains("createdb -O " + Postgres.USER + " " + name);
	}

	@Test
	void anUnknownPostgresUserNamesTheLoginSettings(CapturedOutput output) {
		Postgres.requireOrSkip();
		String user = "nobody_" + UUID.randomUUID().toString().substring(0, 8);

		String line = failureLine(output, Postgres.URL, "spring.datasource.username=" + user);

		assertThat(line)
			.startsWith("The database refused the login in spring.datasource.username / "
					+ "spring.datasource.password (SPRING_DATASOURCE_USERNAME / SPRING_DATASOURCE_PASSWORD)")
			.contains("user \"" + user + "\"")
			.contains("role \"" + user + "\" does not exist");
	}

	@Test
	void aRefusedPasswordNamesTheLoginSettingsAndNeverShowsThePassword(CapturedOutput output) {
		try (FakePostgres postgres = FakePostgres.start()) {
			String line = failureLine(output, postgres.jdbcUrl("switchboard"), "spring.datasource.username=ada",
					"spring.datasource.password=not-her-password");

			assertThat(postgres.logins()).isNotEmpty()
				.allSatisfy(login -> assertThat(login).containsEntry("user", "ada")
					.containsEntry("database", "switchboard")
					.containsEntry("password", "not-her-password"));
			assertThat(line)
				.startsWith("The database refused the login in spring.datasource.username / "
						+ "spring.datasource.password (SPRING_DATASOURCE_USERNAME / SPRING_DATASOURCE_PASSWORD)")
				.contains("user \"ada\", password set")
				.contains("password authentication failed for user \"ada\"");
			assertThat(output.getAll()).doesNotContain("not-her-password");
		}
	}

	@Test
	void anUnreachablePostgresNamesTheUrlSetting(CapturedOutput output) throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/switchboard?password=secret-in-url";

		String line = failureLine(output, url);

		assertThat(line)
			.startsWith("No database answers at the address in spring.datasource.url (SPRING_DATASOURCE_URL)")
			.contains("127.0.0.1:" + closedPort)
			.contains("refused");
		assertThat(output.getAll()).doesNotContain("secret-in-url");
	}

	@Test
	void anSqliteFolderThatCannotBeMadeNamesTheUrlSetting(CapturedOutput output) throws IOException {
		Path blocker = Files.writeString(data.resolve("blocker"), "a file where a folder should be");

		String line = failureLine(output, "jdbc:sqlite:" + blocker.resolve("db/switchboard.db"));

		assertThat(line)
			.startsWith("The folder of the SQLite database in spring.datasource.url (SPRING_DATASOURCE_URL) "
					+ "cannot be made")
			.contains(blocker + " is a file, not a folder");
	}

	@Test
	void anSqliteFileThatCannotBeOpenedNamesTheUrlSetting(CapturedOutput output) throws IOException {
		Path folder = Files.createDirectories(data.resolve("switchboard.db"));

		String line = failureLine(output, "jdbc:sqlite:" + folder);

		assertThat(line)
			.startsWith("The SQLite database in spring.datasource.url (SPRING_DATASOURCE_URL) cannot be opened for "
					+ "writing: " + folder)
			.contains("SQLITE_CANTOPEN");
	}

}
