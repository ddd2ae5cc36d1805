package io.switchboard.api;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserRole;
import io.switchboard.usage.UsageLedger;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What every test of the gateway's {@code /v1} works with: the running server's port, a
 * member with a key, and the call log and ledger the calls are recorded in.
 */
abstract class GatewayTestBase {

	@LocalServerPort
	int port;

	@Autowired
	ApiKeys keys;

	@Autowired
	Conversations conversations;

	@Autowired
	CallRecorder recorder;

	@Autowired
	ApiCallStore calls;

	@Autowired
	UsageLedger ledger;

	final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	/** A new member, named {@code name}. */
	User user(String name) {
		return conversations.createUser(new PlatformUserId("test", name + "-" + UUID.randomUUID()), name,
				UserRole.MEMBER);
	}

	/**
	 * The user's recorded calls once there are {@code expected} of them, or what there is
	 * after 5 s (a call is recorded just after its answer went out, so a test may see the
	 * answer first).
	 */
	List<ApiCall> callsOf(User user, int expected) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		List<ApiCall> found;
		do {
			recorder.flush();
			found = calls.recent(user.id().value(), 1000);
			if (found.size() >= expected) {
				return found;
			}
			Thread.sleep(10);
		}
		while (System.nanoTime() < deadline);
		return found;
	}

	/** A new key of {@code user}'s, with these limits; its secret. */
	String key(User user, ApiKey.Limits limits) {
		return keys.create(user, user.id(), "test key", limits).secret();
	}

}
