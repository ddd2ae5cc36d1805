package io.switchboard.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.UUID;

import io.switchboard.storage.DynamoSchema;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * dynalite (the npm package, an open-source DynamoDB implementation) at 127.0.0.1:4567,
 * which {@code .ci/run} starts. Tests that need it skip with a visible message when none
 * answers, unless {@code SWITCHBOARD_REQUIRE_DYNAMODB=true} (CI) makes it mandatory.
 * Start one by hand with
 * {@code npm install --prefix /tmp/dynalite dynalite && /tmp/dynalite/node_modules/.bin/dynalite --port 4567}.
 */
public final class Dynalite {

	public static final URI ENDPOINT = URI
		.create(System.getenv().getOrDefault("SWITCHBOARD_TEST_DYNAMODB_ENDPOINT", "http://127.0.0.1:4567"));

	private Dynalite() {
	}

	/**
	 * Skips the calling test class when dynalite is not there and not required; fails
	 * when it is required. Sets the (arbitrary) credentials the AWS SDK signs with.
	 */
	public static void requireOrSkip() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(ENDPOINT.getHost(), ENDPOINT.getPort()), 2000);
		}
		catch (IOException unavailable) {
			if (required()) {
				throw new IllegalStateException("DynamoDB is required (SWITCHBOARD_REQUIRE_DYNAMODB) but " + ENDPOINT
						+ " does not answer: " + unavailable.getMessage(), unavailable);
			}
			String message = "SKIPPED: DynamoDB tests, because no dynalite answers at " + ENDPOINT + " ("
					+ unavailable.getMessage() + ")";
			System.err.println(message);
			Assumptions.abort(message);
		}
		System.setProperty("aws.accessKeyId", "switchboard-test");
		System.setProperty("aws.secretAccessKey", "switchboard-test");
	}

	/** A table name no other test uses, so every test class starts from nothing. */
	public static String newTable() {
		return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
	}

	/**
	 * Makes the table with the store's own schema, as a deployment template would before
	 * the application starts.
	 */
	public static void createTable(String table) {
		try (DynamoDbClient client = DynamoDbClient.builder()
			.httpClient(UrlConnectionHttpClient.create())
			.region(Region.US_EAST_1)
			.endpointOverride(ENDPOINT)
			.build()) {
			DynamoSchema.createIfMissing(client, table);
		}
	}

	/**
	 * Puts the chat core of the server a test starts in a fresh table of dynalite;
	 * returns the table's name.
	 */
	public static String freshTable(org.springframework.test.context.DynamicPropertyRegistry registry) {
		String table = newTable();
		settings(table).forEach(setting -> {
			String[] pair = setting.split("=", 2);
			registry.add(pair[0], () -> pair[1]);
		});
		return table;
	}

	/** The settings that put a server's chat core in this table of dynalite. */
	public static java.util.List<String> settings(String table) {
		return java.util.List.of("switchboard.storage.type=dynamodb", "switchboard.storage.dynamodb.table=" + table,
				"switchboard.storage.dynamodb.region=us-east-1", "switchboard.storage.dynamodb.endpoint=" + ENDPOINT);
	}

	static boolean required() {
		return Boolean.parseBoolean(System.getenv("SWITCHBOARD_REQUIRE_DYNAMODB"))
				|| Boolean.getBoolean("switchboard.require-dynamodb");
	}

}
