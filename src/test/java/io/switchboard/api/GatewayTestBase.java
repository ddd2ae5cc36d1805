package io.switchboard.api;

import java.net.http.HttpClient;
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

	/** A new key of {@code user}'s, with these limits; its secret. */
	String key(User user, ApiKey.Limits limits) {
		return keys.create(user, user.id(), "test key", limits).secret();
	}

}
