package io.switchboard.api;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.switchboard.conversation.Conversations;
import io.switchboard.fakes.FakeAnthropic;
import io.switchboard.fakes.FakeGemini;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserRole;
import io.switchboard.usage.UsageLedger;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What every test of the gateway's {@code /v1} works with: the running server's port, a
 * member with a key, and the call log and ledger the calls are recorded in.
 */
abstract class GatewayTestBase {

	/**
	 * The three upstreams the gateway's tests call, one of each kind, and a model on
	 * each: {@code gpt-test} (priced $1 and $2 per million tokens in and out),
	 * {@code claude-test} and {@code gemini-test}; no retries, so a failure shows at
	 * once.
	 */
	static void upstreams(DynamicPropertyRegistry registry, FakeOpenAi openai, FakeAnthropic anthropic,
			FakeGemini gemini) {
		registry.add("switchboard.llm.providers.openai.type", () -> "openai");
		registry.add("switchboard.llm.providers.openai.base-url", () -> openai.baseUrl().toString());
		registry.add("switchboard.llm.providers.openai.api-key", openai::apiKey);
		registry.add("switchboard.llm.providers.anthropic.type", () -> "anthropic");
		registry.add("switchboard.llm.providers.anthropic.base-url", () -> anthropic.baseUrl().toString());
		registry.add("switchboard.llm.providers.anthropic.api-key", anthropic::apiKey);
		registry.add("switchboard.llm.providers.gemini.type", () -> "gemini");
		registry.add("switchboard.llm.providers.gemini.base-url", () -> gemini.baseUrl().toString());
		registry.add("switchboard.llm.providers.gemini.api-key", gemini::apiKey);
		registry.add("switchboard.llm.models.gpt-test.provider", () -> "openai");
		registry.add("switchboard.llm.models.gpt-test.upstream-model", () -> "gpt-4o-mini");
		registry.add("switchboard.llm.models.gpt-test.input-price", () -> "1");
		registry.add("switchboard.llm.models.gpt-test.output-price", () -> "2");
		registry.add("switchboard.llm.models.claude-test.provider", () -> "anthropic");
		registry.add("switchboard.llm.models.claude-test.upstream-model", () -> "claude-sonnet-4-5");
		registry.add("switchboard.llm.models.gemini-test.provider", () -> "gemini");
		registry.add("switchboard.llm.models.gemini-test.upstream-model", () -> "gemini-2.5-flash");
		registry.add("switchboard.llm.retry.max-attempts", () -> "1");
	}

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
