package io.switchboard.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.switchboard.SwitchboardApplication;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the whole server outside Spring's test context cache, as an operator would: for
 * tests of start-up itself (a bad setting must stop it) and of restarts on the same
 * database.
 */
public final class StandaloneApplication {

	private StandaloneApplication() {
	}

	/**
	 * Starts the server on a random port with an SQLite file, the given settings passed
	 * as command-line arguments so that they win over {@code application.yml}.
	 * @param database the SQLite file, made on first start
	 * @param properties {@code name=value} settings
	 */
	public static ConfigurableApplicationContext start(Path database, String... properties) {
		return startOn("jdbc:sqlite:" + database, properties);
	}

	/**
	 * Starts the server on a random port with the database at {@code datasourceUrl} and
	 * the given settings passed as command-line arguments.
	 * @param datasourceUrl {@code spring.datasource.url}
	 * @param properties {@code name=value} settings
	 */
	public static ConfigurableApplicationContext startOn(String datasourceUrl, String... properties) {
		List<String> arguments = new ArrayList<>(List.of("--spring.datasource.url=" + datasourceUrl, "--server.port=0",
				"--spring.main.banner-mode=off"));
		for (String property : properties) {
			arguments.add("--" + property);
		}
		return new SpringApplicationBuilder(SwitchboardApplication.class).web(WebApplicationType.SERVLET)
			.run(arguments.toArray(String[]::new));
	}

	/**
	 * Every message of a failure and its causes, one per line: what an operator reads at
	 * start-up.
	 */
	public static String messages(Throwable failure) {
		StringBuilder all = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			all.append(cause.getMessage()).append('\n');
		}
		return all.toString();
	}

}
