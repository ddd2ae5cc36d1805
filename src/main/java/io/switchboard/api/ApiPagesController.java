package io.switchboard.api;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserId;
import io.switchboard.llm.ModelCatalog;
import io.switchboard.llm.ModelSpec;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The web pages of the API: a user's keys (made here and shown once, revoked here; an
 * admin sees and revokes everyone's and may make keys for others) and the usage page (per
 * day as a chart, per model, key and user). Signed in through the web channel's form; the
 * signed-in web user is found by their web identity.
 */
@Controller
class ApiPagesController {

	private static final int MAX_DAYS = 366;

	private final ApiKeys keys;

	private final ApiCallStore calls;

	private final Conversations conversations;

	private final ModelCatalog models;

	private final Clock clock;

	private final io.switchboard.media.MediaProperties media;

	private final io.switchboard.usage.UsageLedger ledger;

	ApiPagesController(ApiKeys keys, ApiCallStore calls, Conversations conversations, ModelCatalog models, Clock clock,
			io.switchboard.media.MediaProperties media, io.switchboard.usage.UsageLedger ledger) {
		this.ledger = ledger;
		this.keys = keys;
		this.calls = calls;
		this.conversations = conversations;
		this.models = models;
		this.clock = clock;
		this.media = media;
	}

	/**
	 * The base URL clients are given: this server's public address
	 * ({@code switchboard.media.public-base-url}).
	 */
	String baseUrl() {
		String base = media.publicBaseUrl().toString();
		return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1";
	}

	private User me(Authentication authentication) {
		return conversations.findUser(new PlatformUserId("web", authentication.getName()))
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.FORBIDDEN));
	}

	/**
	 * A key with its owner's name, for the list (plain values: the page's expressions
	 * read properties, they do not call methods on package-private types).
	 */
	record KeyRow(ApiKey key, String owner, String limits, boolean revoked) {
	}

	@GetMapping("/api-keys")
	String keys(Authentication authentication, Model model) {
		return keysPage(me(authentication), model);
	}

	private String keysPage(User me, Model model) {
		List<ApiKey> list = me.isAdmin() ? keys.all() : keys.keysOf(me.id());
		Map<UserId, String> names = new HashMap<>();
		List<KeyRow> rows = list.stream()
			.map(key -> new KeyRow(key,
					names.computeIfAbsent(key.userId(),
							id -> conversations.findUser(id).map(User::displayName).orElse("user " + id)),
					describe(key), key.revoked()))
			.toList();
		model.addAttribute("me", me);
		model.addAttribute("baseUrl", baseUrl());
		model.addAttribute("rows", rows);
		model.addAttribute("models", models.all().stream().map(ModelSpec::name).toList());
		model.addAttribute("users", me.isAdmin() ? conversations.users(1000, 0) : List.of(me));
		return "api/keys";
	}

	static String describe(ApiKey key) {
		List<String> parts = new ArrayList<>();
		parts.add(key.allowedModels().isEmpty() ? "all models"
				: String.join(", ", key.allowedModels().stream().sorted().toList()));
		if (key.requestsPerMinute() != null) {
			parts.add(key.requestsPerMinute() + " req/min");
		}
		if (key.tokensPerDay() != null) {
			parts.add(key.tokensPerDay() + " tokens/day");
		}
		if (key.spendPerMonthNanos() != null) {
			parts.add("$" + KeyLimits.dollars(key.spendPerMonthNanos()) + "/month");
		}
		return String.join(" · ", parts);
	}

	@PostMapping("/api-keys")
	String create(Authentication authentication, @RequestParam(defaultValue = "") String name,
			@RequestParam(name = "models", required = false) List<String> allowed,
			@RequestParam(required = false) Integer requestsPerMinute,
			@RequestParam(required = false) Long tokensPerDay, @RequestParam(required = false) BigDecimal spendPerMonth,
			@RequestParam(required = false) Long owner, Model model) {
		User me = me(authentication);
		try {
			Long spend = spendPerMonth == null ? null
					: spendPerMonth.movePointRight(9).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
			ApiKeys.Created created = keys.create(me, owner == null ? me.id() : new UserId(owner), name,
					new ApiKey.Limits(allowed == null ? Set.of() : new LinkedHashSet<>(allowed), requestsPerMinute,
							tokensPerDay, spend));
			// rendered, not redirected: the secret never sits in a session
			model.addAttribute("created", created);
		}
		catch (ApiKeys.ApiKeyException | ArithmeticException refused) {
			model.addAttribute("error", refused.getMessage());
		}
		return keysPage(me, model);
	}

	@PostMapping("/api-keys/{id}/revoke")
	String revoke(Authentication authentication, @PathVariable long id, RedirectAttributes redirect, Model model,
			jakarta.servlet.http.HttpServletResponse response) {
		User me = me(authentication);
		try {
			ApiKey revoked = keys.revoke(me, id);
			redirect.addFlashAttribute("flash", "Revoked the key " + revoked.name() + " (" + revoked.hint() + ").");
			return "redirect:/api-keys";
		}
		catch (ApiKeys.ApiKeyException refused) {
			// not a redirect that looks like success: the page again, with why, and a 404
			// (another user's key is not told apart from one that does not exist)
			response.setStatus(404);
			model.addAttribute("error", refused.getMessage() + " Nothing was revoked.");
			return keysPage(me, model);
		}
	}

	// ------------------------------------------------------------------- usage

	/** One line of a usage table. */
	record SumRow(String label, ApiCallStore.Sum sum, String cost) {
	}

	private static List<SumRow> rows(List<ApiCallStore.Sum> sums, java.util.function.UnaryOperator<String> label) {
		return sums.stream()
			.map(sum -> new SumRow(label.apply(sum.group()), sum, KeyLimits.dollars(sum.costNanos())))
			.toList();
	}

	/**
	 * A line of the usage table over every platform: a day, a model and (for admins) a
	 * person.
	 */
	record LedgerRow(String day, String model, String user, long requests, long tokensIn, long tokensOut,
			long tokensCached, String saved, String cost) {
	}

	/** Dollars to five places: a cache's saving is often a fraction of a cent. */
	private static String smallDollars(long nanos) {
		return java.math.BigDecimal.valueOf(nanos, 9).setScale(5, java.math.RoundingMode.HALF_UP).toPlainString();
	}

	/**
	 * What reading {@code cached} input tokens from a prompt cache saved against the
	 * model's full input price; nothing for a model no longer configured.
	 */
	private long savedNanos(String modelName, long cached) {
		if (cached <= 0) {
			return 0;
		}
		return models.find(modelName).map(spec -> {
			int tokens = (int) Math.min(Integer.MAX_VALUE, cached);
			return spec.price().costNanos(new io.switchboard.llm.TokenUsage(tokens, 0, 0))
					- spec.price().costNanos(new io.switchboard.llm.TokenUsage(tokens, 0, tokens));
		}).orElse(0L);
	}

	/**
	 * Usage on every platform and the API (the usage ledger every answer is recorded in):
	 * tokens and cost per day as charts, and the rows per day and model, newest first.
	 */
	private void allUsage(User me, LocalDate first, LocalDate today, Model model) {
		List<io.switchboard.usage.UsageRow> rows = me.isAdmin() ? ledger.forEveryone(first, today)
				: ledger.forUser(me.id().value(), first, today);
		Map<LocalDate, long[]> perDay = new HashMap<>();
		rows.forEach(row -> {
			long[] sums = perDay.computeIfAbsent(row.day(), day -> new long[2]);
			sums[0] += row.tokensIn() + row.tokensOut();
			sums[1] += row.costNanos();
		});
		List<UsageChart.Day> tokens = new ArrayList<>();
		List<UsageChart.Day> cost = new ArrayList<>();
		for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
			long[] sums = perDay.getOrDefault(day, new long[2]);
			tokens.add(new UsageChart.Day(day, sums[0]));
			cost.add(new UsageChart.Day(day, sums[1]));
		}
		Map<Long, String> names = new HashMap<>();
		model.addAttribute("tokenChart", UsageChart.of(tokens, false));
		model.addAttribute("costChart", UsageChart.of(cost, true));
		model
			.addAttribute("ledgerRows", rows.reversed()
				.stream()
				.map(row -> new LedgerRow(row.day().toString(), row.model(), names.computeIfAbsent(row.userId(),
						id -> conversations.findUser(new UserId(id)).map(User::displayName).orElse("user " + id)),
						row.requests(), row.tokensIn(), row.tokensOut(), row.tokensCached(),
						smallDollars(savedNanos(row.model(), row.tokensCached())), KeyLimits.dollars(row.costNanos())))
				.toList());
		long cachedTotal = rows.stream().mapToLong(io.switchboard.usage.UsageRow::tokensCached).sum();
		model.addAttribute("cachedTotal", cachedTotal);
		model.addAttribute("savedTotal",
				smallDollars(rows.stream().mapToLong(row -> savedNanos(row.model(), row.tokensCached())).sum()));
	}

	@GetMapping("/usage")
	String usage(Authentication authentication, @RequestParam(defaultValue = "30") int days,
			@RequestParam(defaultValue = "requests") String measure, Model model) {
		User me = me(authentication);
		int span = Math.clamp(days, 1, MAX_DAYS);
		LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
		LocalDate first = today.minusDays(span - 1L);
		long since = first.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
		Long only = me.isAdmin() ? null : me.id().value();
		List<ApiCallStore.Sum> perDay = calls.sums("day", only, since);
		Map<Long, ApiCallStore.Sum> byDay = new HashMap<>();
		perDay.forEach(sum -> byDay.put(Long.parseLong(sum.group()), sum));
		List<UsageChart.Day> chartDays = new ArrayList<>();
		for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
			ApiCallStore.Sum sum = byDay.get(day.toEpochDay());
			long value = sum == null ? 0 : switch (measure) {
				case "tokens" -> sum.tokensIn() + sum.tokensOut();
				case "cost" -> sum.costNanos();
				default -> sum.requests();
			};
			chartDays.add(new UsageChart.Day(day, value));
		}
		Map<String, String> keyNames = new HashMap<>();
		(me.isAdmin() ? keys.all() : keys.keysOf(me.id()))
			.forEach(key -> keyNames.put(Long.toString(key.id()), key.name() + " (" + key.hint() + ")"));
		Map<String, String> userNames = new HashMap<>();
		List<ApiCallStore.Sum> perUser = me.isAdmin() ? calls.sums("user_id", null, since) : List.of();
		perUser.forEach(sum -> userNames.put(sum.group(),
				conversations.findUser(new UserId(Long.parseLong(sum.group())))
					.map(User::displayName)
					.orElse("user " + sum.group())));
		model.addAttribute("me", me);
		model.addAttribute("days", span);
		model.addAttribute("measure", measure);
		model.addAttribute("chart", UsageChart.of(chartDays, "cost".equals(measure)));
		model.addAttribute("perDay",
				rows(perDay.reversed(), group -> LocalDate.ofEpochDay(Long.parseLong(group)).toString()));
		model.addAttribute("perModel", rows(calls.sums("model", only, since), group -> group));
		model.addAttribute("perKey",
				rows(calls.sums("key_id", only, since), group -> keyNames.getOrDefault(group, "key #" + group)));
		model.addAttribute("perUser", rows(perUser, group -> userNames.getOrDefault(group, "user " + group)));
		allUsage(me, first, today, model);
		return "api/usage";
	}

}
