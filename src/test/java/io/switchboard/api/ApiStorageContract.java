package io.switchboard.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserRole;
import io.switchboard.usage.UsageLedger;
import io.switchboard.usage.UsageRow;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's tables on every supported database: keys (only hashes), batched calls, the
 * sums behind limits and the usage page, and batched ledger entries.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@ActiveProfiles("test")
abstract class ApiStorageContract {

	@Autowired
	ApiKeyStore keys;

	@Autowired
	ApiCallStore calls;

	@Autowired
	UsageLedger ledger;

	@Autowired
	CallRecorder recorder;

	@Autowired
	Conversations conversations;

	User user() {
		return conversations.createUser(new PlatformUserId("test", UUID.randomUUID().toString()), "Tess",
				UserRole.MEMBER);
	}

	@Test
	void keysAreStoredByHashWithTheirLimitsAndRevokedOnce() {
		User owner = user();
		Instant now = Instant.parse("2026-03-04T05:06:07Z");
		ApiKey made = keys.insert(owner.id(), "laptop", "hash-" + UUID.randomUUID(), "sk-sb-abcd…wxyz",
				new ApiKey.Limits(Set.of("b", "a"), 60, 100_000L, 5_000_000_000L), now);
		assertThat(made.allowedModels()).containsExactlyInAnyOrder("a", "b");
		assertThat(made.requestsPerMinute()).isEqualTo(60);
		assertThat(made.tokensPerDay()).isEqualTo(100_000L);
		assertThat(made.spendPerMonthNanos()).isEqualTo(5_000_000_000L);
		assertThat(made.createdAt()).isEqualTo(now);
		assertThat(made.revoked()).isFalse();
		ApiKey open = keys.insert(owner.id(), "open", "hash-" + UUID.randomUUID(), "sk-sb-efgh…", ApiKey.Limits.NONE,
				now.plusSeconds(1));
		assertThat(open.allowedModels()).isEmpty();
		assertThat(open.requestsPerMinute()).isNull();
		assertThat(open.tokensPerDay()).isNull();

		assertThat(keys.findByHash(keys.hashOf(made.id()))).contains(made);
		assertThat(keys.forUser(owner.id())).extracting(ApiKey::name).containsExactly("open", "laptop");
		assertThat(keys.revoke(made.id(), now.plusSeconds(5))).isTrue();
		assertThat(keys.revoke(made.id(), now.plusSeconds(9))).isFalse();
		assertThat(keys.find(made.id()).orElseThrow().revokedAt()).isEqualTo(now.plusSeconds(5));
		assertThat(keys.all()).extracting(ApiKey::id).contains(made.id(), open.id());
	}

	/** A key of this user's without limits. */
	private ApiKey key(User owner) {
		return keys.insert(owner.id(), "k", "hash-" + UUID.randomUUID(), "hint", ApiKey.Limits.NONE, Instant.now());
	}

	@Test
	void callsAreWrittenInBatchesAndSummedForLimitsAndReports() {
		User owner = user();
		ApiKey key = key(owner);
		long day = LocalDate.of(2026, 3, 4).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
		calls.insert(List.of(
				new ApiCall(key.id(), owner.id().value(), "gpt", "openai/gpt-4o", 10, 5, 100, 12, 80, 200, false,
						day + 1000),
				new ApiCall(key.id(), owner.id().value(), "gpt", "openai/gpt-4o", 20, 10, 200, 15, 90, 200, true,
						day + 2000),
				new ApiCall(key.id(), owner.id().value(), "claude", "anthropic/claude", 0, 0, 0, 3, 50, 503, false,
						day + 86_400_000L)));
		assertThat(calls.tokensSince(key.id(), day)).isEqualTo(45);
		assertThat(calls.tokensSince(key.id(), day + 1500)).isEqualTo(30);
		assertThat(calls.spendSince(key.id(), day)).isEqualTo(300);
		assertThat(calls.sums("model", owner.id().value(), day))
			.extracting(ApiCallStore.Sum::group, ApiCallStore.Sum::requests, ApiCallStore.Sum::failures)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("claude", 1L, 1L),
					org.assertj.core.groups.Tuple.tuple("gpt", 2L, 0L));
		List<ApiCallStore.Sum> perDay = calls.sums("day", owner.id().value(), day);
		assertThat(perDay).extracting(ApiCallStore.Sum::group)
			.containsExactly(Long.toString(LocalDate.of(2026, 3, 4).toEpochDay()),
					Long.toString(LocalDate.of(2026, 3, 5).toEpochDay()));
		assertThat(perDay.getFirst().costNanos()).isEqualTo(300);
		assertThat(calls.sums("key_id", null, day)).anySatisfy(sum -> {
			assertThat(sum.group()).isEqualTo(Long.toString(key.id()));
			assertThat(sum.tokensIn()).isEqualTo(30);
		});
		assertThat(calls.recent(owner.id().value(), 10)).hasSize(3).first().satisfies(call -> {
			assertThat(call.status()).isEqualTo(503);
			assertThat(call.streamed()).isFalse();
		});
	}

	/**
	 * A key's daily tokens and monthly spend, as a node reads them when it starts or
	 * syncs, count the calls that are usage: not a failure that carries the tokens its
	 * upstream reported, but a tool loop's answer that failed after rounds it spent.
	 */
	@Test
	void aKeysCountersSumOnlyTheCallsThatAreUsage() {
		User owner = user();
		ApiKey key = key(owner);
		long day = LocalDate.of(2026, 3, 6).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
		calls.insert(List.of(
				new ApiCall(key.id(), owner.id().value(), "gpt", "openai/gpt-4o", 10, 5, 100, 12, 80, 200, false,
						day + 1000),
				// failed, with the tokens its upstream reported: not usage
				new ApiCall(key.id(), owner.id().value(), "gpt", "openai/gpt-4o", 40, 20, 0, 15, 90, 502, false,
						day + 2000, 0, false),
				// a tool loop's answer that failed after rounds it spent: usage
				new ApiCall(key.id(), owner.id().value(), "gpt", "openai/gpt-4o", 7, 3, 50, 15, 90, 502, false,
						day + 3000, 0, true)));

		assertThat(calls.tokensSince(key.id(), day)).isEqualTo(25);
		assertThat(calls.spendSince(key.id(), day)).isEqualTo(150);
		assertThat(calls.recent(owner.id().value(), 10)).extracting(ApiCall::charged)
			.containsExactly(true, false, true);
		// the usage page's report still shows every call, failures included
		assertThat(calls.sums("model", owner.id().value(), day)).singleElement().satisfies(sum -> {
			assertThat(sum.requests()).isEqualTo(3);
			assertThat(sum.failures()).isEqualTo(2);
		});
	}

	@Test
	void theRecorderAddsCallsToTheLedgerOnePerUserModelAndDay() {
		User owner = user();
		ApiKey key = key(owner);
		long now = System.currentTimeMillis();
		for (int i = 0; i < 50; i++) {
			// a failed call: not charged, no cost (as the gateway records it)
			boolean failed = i % 10 == 0;
			recorder.record(new ApiCall(key.id(), owner.id().value(), "gpt", "openai/gpt", 3, 2, failed ? 0 : 7, 1, 1,
					failed ? 502 : 200, false, now));
		}
		// a failed call whose spent rounds are charged is usage, even when it cost
		// nothing (a free model's tool loop)
		recorder.record(new ApiCall(key.id(), owner.id().value(), "free", "openai/free", 4, 1, 0, 1, 1, 502, false, now,
				0, true));
		recorder.flush();
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		assertThat(ledger.forUser(owner.id().value(), today.minusDays(1), today.plusDays(1)))
			.extracting(UsageRow::model, UsageRow::requests, UsageRow::tokensIn, UsageRow::costNanos)
			// the other failed calls are not usage
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("gpt", 45L, 135L, 315L),
					org.assertj.core.groups.Tuple.tuple("free", 1L, 4L, 0L));
		assertThat(calls.recent(owner.id().value(), 100)).hasSize(51);
	}

}
