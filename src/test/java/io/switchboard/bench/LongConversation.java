package io.switchboard.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.switchboard.SwitchboardApplication;
import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Received;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.conversation.AnswerState;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.conversation.User;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.usage.UsageLedger;
import io.switchboard.usage.UsagePurpose;
import io.switchboard.usage.UsageRow;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A scripted 1,000-turn conversation through the assistant, three ways
 * (docs/benchmarks.md, "Long conversations"): the whole history resent on every turn (a
 * window larger than the conversation, nothing compacted), today's window fill (a 128k
 * window filled with the newest messages), and compaction (a 16k context budget on the
 * same 128k model). The model is a fake OpenAI server that counts input tokens with
 * o200k_base and simulates a prefix cache: a prompt that starts with the previous
 * prompt's first N tokens is reported with N cached. Summaries go to a fake of their own.
 * A fact is told at turn 3 and remembered with {@code /remember}.
 * <p>
 * Each turn is about 280 tokens (a question of about 60, an answer of about 220). Costs
 * at list prices: the chat model at $3 / $0.30 (cached) / $15 per million tokens in /
 * cached in / out, the summary model at $0.15 / $0.075 / $0.60.
 *
 * <pre>
 * bench/long-conversation.sh [--turns 1000] [--modes full-resend,window-fill,compaction]
 * </pre>
 */
public final class LongConversation {

	private static final String FACT = "I am allergic to peanuts";

	private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

	private static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

	private static final String[] WORDS = ("the a to of and in that is for it on with as you can this be are we "
			+ "not or have will your if but by from at so do all an they one there what about more when which "
			+ "their would use also like into than some then only just time new other how could first because "
			+ "data server request response database index query migration rollout release deploy config token "
			+ "model context window budget message session topic user answer question latency cost provider "
			+ "cache memory thread queue retry timeout error exception stack trace log metric dashboard alert "
			+ "customer team meeting plan risk schedule week Monday review change test coverage build pipeline "
			+ "PostgreSQL SQLite Java Spring Kubernetes Docker API JSON HTTP TLS certificate DNS 2024 42 3.5 "
			+ "probably usually really quite simply carefully quickly roughly exactly especially")
		.split(" ");

	/** One way of sending the conversation. */
	record Mode(String name, String description, int window, int budget, boolean compaction) {
	}

	/** What one mode cost. */
	record Result(Mode mode, long chatIn, long chatCached, long chatOut, long summaryCalls, long summaryIn,
			long summaryCached, long summaryOut, int largestPrompt, int failedTurns, int turnsMissingRecent,
			boolean factAtLastTurn, long millis) {

		BigDecimal costNoCache() {
			return price(chatIn, 0, chatOut, "3", "0.30", "15")
				.add(price(summaryIn, 0, summaryOut, "0.15", "0.075", "0.60"));
		}

		BigDecimal costCached() {
			return price(chatIn, chatCached, chatOut, "3", "0.30", "15")
				.add(price(summaryIn, summaryCached, summaryOut, "0.15", "0.075", "0.60"));
		}

	}

	public static void main(String[] args) throws IOException {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
		}
		int turns = Integer.parseInt(options.getOrDefault("turns", "1000"));
		List<String> wanted = List.of(options.getOrDefault("modes", "full-resend,window-fill,compaction").split(","));
		List<Mode> modes = new ArrayList<>();
		for (String name : wanted) {
			modes.add(switch (name) {
				case "full-resend" -> new Mode(name, "the whole history on every turn", 4_000_000, 4_000_000, false);
				case "window-fill" ->
					new Mode(name, "newest messages that fill a 128k window", 128_000, 128_000, false);
				case "compaction" -> new Mode(name, "16k budget, summary + latest messages", 128_000, 16_000, true);
				default -> throw new IllegalArgumentException("unknown mode " + name);
			});
		}
		List<Result> results = new ArrayList<>();
		for (Mode mode : modes) {
			Result result = mode.name().equals("full-resend") ? fullResend(mode, turns) : run(mode, turns);
			results.add(result);
			System.out.println(line(result));
		}
		report(results, turns);
		System.exit(0);
	}

	static Result run(Mode mode, int turns) throws IOException {
		FakeOpenAi chat = FakeOpenAi.start("sk-bench");
		FakeOpenAi summaries = FakeOpenAi.start("sk-bench-summaries");
		chat.prefixCache(true).tokenizer(LongConversation::tokens);
		summaries.prefixCache(true).tokenizer(LongConversation::tokens);
		// a summary of about 500 tokens, drawn from what it was given
		summaries.answerWith(LongConversation::summaryOf);
		Path folder = Files.createTempDirectory("switchboard-long-conversation");
		List<String> args = new ArrayList<>(List.of(
				"--spring.datasource.url=jdbc:sqlite:" + folder.resolve("bench.db")
						+ "?journal_mode=WAL&busy_timeout=10000&foreign_keys=true&synchronous=NORMAL"
						+ "&transaction_mode=IMMEDIATE",
				"--spring.main.banner-mode=off", "--server.port=0", "--spring.thymeleaf.check-template-location=false",
				"--logging.level.root=WARN", "--logging.level.io.switchboard=WARN",
				"--switchboard.llm.providers.chat.type=openai",
				"--switchboard.llm.providers.chat.base-url=" + chat.baseUrl(),
				"--switchboard.llm.providers.chat.api-key=" + chat.apiKey(),
				"--switchboard.llm.providers.mini.type=openai",
				"--switchboard.llm.providers.mini.base-url=" + summaries.baseUrl(),
				"--switchboard.llm.providers.mini.api-key=" + summaries.apiKey(),
				"--switchboard.llm.default-model=chat", "--switchboard.llm.models.chat.provider=chat",
				"--switchboard.llm.models.chat.context-window=" + mode.window(),
				"--switchboard.llm.models.chat.context-budget=" + mode.budget(),
				"--switchboard.llm.models.chat.max-output-tokens=1024", "--switchboard.llm.models.mini.provider=mini",
				"--switchboard.llm.models.mini.context-window=128000",
				"--switchboard.llm.models.mini.max-output-tokens=4096",
				"--switchboard.assistant.compaction.enabled=" + mode.compaction(),
				"--switchboard.assistant.compaction.model=mini"));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SwitchboardApplication.class)
			.profiles("test")
			.web(WebApplicationType.SERVLET)
			.run(args.toArray(String[]::new));
		long started = System.nanoTime();
		try {
			Assistant assistant = context.getBean(Assistant.class);
			Conversations conversations = context.getBean(Conversations.class);
			PlatformUserId who = new PlatformUserId("slack", "U" + UUID.randomUUID());
			Place place = Place.direct("slack");
			Random random = new Random(18);
			List<String> transcript = new ArrayList<>();
			int failed = 0;
			int missingRecent = 0;
			int largest = 0;
			for (int turn = 1; turn <= turns; turn++) {
				String question = turn == 3 ? "By the way, " + FACT + ", so keep that in mind for the recipes. "
						+ sentences(random, 200, 220) : sentences(random, 250, 300);
				String answer = sentences(random, 950, 1050);
				// one streamed piece: the benchmark counts tokens, not streaming
				chat.replyInPieces(answer);
				int before = chat.requests().size();
				Received received = assistant.receive(InboundMessage.text(who, "Bench", place, question));
				if (!(received instanceof Received.Asked asked)) {
					throw new IllegalStateException("turn " + turn + " was not asked: " + received);
				}
				List<ReplyEvent> events = new ArrayList<>();
				StoredMessage settled = assistant.answer(asked.exchange().answerId(), "slack", events::add)
					.orElseThrow();
				if (settled.state() != AnswerState.ANSWERED) {
					failed++;
					transcript.add(question);
					continue;
				}
				JsonNode request = chat.requests().get(before).json();
				List<String> sent = new ArrayList<>();
				request.path("messages").forEach(message -> {
					if (!"system".equals(message.path("role").asText())) {
						sent.add(message.path("content").asText());
					}
				});
				int recent = Math.min(20, transcript.size());
				List<String> expected = transcript.subList(transcript.size() - recent, transcript.size());
				if (sent.size() < recent + 1
						|| !sent.subList(sent.size() - 1 - recent, sent.size() - 1).equals(expected)) {
					missingRecent++;
				}
				largest = Math.max(largest, settled.answer().tokensIn());
				transcript.add(question);
				transcript.add(answer);
				if (turn == 3) {
					assistant.receive(InboundMessage.text(who, "Bench", place, "/remember " + FACT));
				}
			}
			String lastSystem = chat.systemPrompt(chat.lastRequestJson());
			User user = conversations.findUser(who).orElseThrow();
			List<UsageRow> rows = context.getBean(UsageLedger.class)
				.forUser(user.id().value(), LocalDate.now(ZoneOffset.UTC).minusDays(1),
						LocalDate.now(ZoneOffset.UTC).plusDays(1));
			long[] sums = new long[7];
			for (UsageRow row : rows) {
				boolean summary = row.purpose() == UsagePurpose.SUMMARY;
				sums[summary ? 3 : 0] += row.tokensIn();
				sums[summary ? 4 : 1] += row.tokensCached();
				sums[summary ? 5 : 2] += row.tokensOut();
				if (summary) {
					sums[6] += row.requests();
				}
			}
			return new Result(mode, sums[0], sums[1], sums[2], sums[6], sums[3], sums[4], sums[5], largest, failed,
					missingRecent, lastSystem.contains(FACT), (System.nanoTime() - started) / 1_000_000);
		}
		finally {
			context.close();
			chat.close();
			summaries.close();
		}
	}

	/**
	 * The whole history resent on every turn, computed from the same transcript rather
	 * than sent: its prompts grow to 280k tokens, and a thousand of them through the fake
	 * (which keeps every request) need more than the benchmark's heap. Each prompt is
	 * what the fake would count (the messages' texts joined as it joins them, the
	 * remembered fact in the system prompt from turn 4), with the same prefix-cache rule.
	 */
	static Result fullResend(Mode mode, int turns) {
		long started = System.nanoTime();
		Random random = new Random(18);
		int memory = tokens("What the user asked you to remember about them:\n- " + FACT + " ").size();
		// the history's tokens, counted message by message as it grows (tokenizing each
		// whole prompt again, up to 280k tokens a turn, takes many minutes); a joined
		// prompt counts within a token per message of this
		long history = 0;
		long previous = 0;
		long in = 0;
		long cached = 0;
		long out = 0;
		long largest = 0;
		int firstOverWindow = 0;
		for (int turn = 1; turn <= turns; turn++) {
			String question = turn == 3
					? "By the way, " + FACT + ", so keep that in mind for the recipes. " + sentences(random, 200, 220)
					: sentences(random, 250, 300);
			String answer = sentences(random, 950, 1050);
			int questionTokens = tokens(question + " ").size();
			int answerTokens = tokens(answer + " ").size();
			long prompt = (turn >= 4 ? memory : 0) + history + questionTokens;
			// an append-only prompt: all of the previous one is its prefix, but for the
			// turn
			// the remembered fact entered the system prompt
			in += prompt;
			cached += turn == 4 ? 0 : previous;
			out += tokens(answer).size();
			largest = Math.max(largest, prompt);
			if (firstOverWindow == 0 && prompt > 128_000 - 1_024) {
				firstOverWindow = turn;
			}
			previous = prompt;
			history += questionTokens + answerTokens;
		}
		System.out.println("full-resend  computed: a 128k model would refuse every turn from turn " + firstOverWindow
				+ " on (context length exceeded)");
		return new Result(mode, in, cached, out, 0, 0, 0, 0, (int) largest, 0, 0, true,
				(System.nanoTime() - started) / 1_000_000);
	}

	static List<Integer> tokens(String text) {
		return O200K.encode(text).boxed();
	}

	private static String summaryOf(String request) {
		StringBuilder summary = new StringBuilder("The user and the assistant discussed: ");
		for (String line : request.split("\n")) {
			if (line.startsWith("User: ") && summary.length() < 2_200) {
				summary.append(line, 6, Math.min(line.length(), 120)).append("; ");
			}
		}
		return summary.toString().strip();
	}

	private static String sentences(Random random, int min, int max) {
		int length = min + random.nextInt(max - min + 1);
		StringBuilder text = new StringBuilder(length + 16);
		boolean capital = true;
		while (text.length() < length) {
			String word = WORDS[random.nextInt(WORDS.length)];
			if (capital) {
				word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
				capital = false;
			}
			text.append(word);
			int end = random.nextInt(12);
			if (end == 0) {
				text.append(". ");
				capital = true;
			}
			else {
				text.append(end == 1 ? ", " : " ");
			}
		}
		String cut = text.substring(0, length).strip();
		return cut.endsWith(".") ? cut : cut + ".";
	}

	static BigDecimal price(long in, long cached, long out, String inPrice, String cachedPrice, String outPrice) {
		return new BigDecimal(inPrice).multiply(BigDecimal.valueOf(in - cached))
			.add(new BigDecimal(cachedPrice).multiply(BigDecimal.valueOf(cached)))
			.add(new BigDecimal(outPrice).multiply(BigDecimal.valueOf(out)))
			.divide(MILLION, 2, RoundingMode.HALF_UP);
	}

	private static String line(Result r) {
		return String.format(Locale.ROOT,
				"%-12s input %,d (cached %,d) output %,d; summaries %d calls, %,d in, %,d out; largest prompt %,d; "
						+ "failed %d; turns without the last 20 messages %d; fact at the last turn %s; "
						+ "cost $%s, with caching $%s; %,d ms",
				r.mode().name(), r.chatIn(), r.chatCached(), r.chatOut(), r.summaryCalls(), r.summaryIn(),
				r.summaryOut(), r.largestPrompt(), r.failedTurns(), r.turnsMissingRecent(), r.factAtLastTurn(),
				r.costNoCache(), r.costCached(), r.millis());
	}

	private static void report(List<Result> results, int turns) {
		Result full = results.stream().filter(r -> r.mode().name().equals("full-resend")).findFirst().orElse(null);
		System.out.println();
		System.out.println("| way | input tokens | of full resend | cached | largest prompt | summary calls "
				+ "| cost, no cache | cost with caching | of full resend's cost | last 20 verbatim | fact at turn "
				+ turns + " |");
		System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
		for (Result r : results) {
			long in = r.chatIn() + r.summaryIn();
			System.out.printf(Locale.ROOT, "| %s | %,d | %s | %s | %,d | %d | $%s | $%s | %s | %s | %s |%n",
					r.mode().name(), in, full == null ? "-" : percent(in, full.chatIn() + full.summaryIn()),
					percent(r.chatCached() + r.summaryCached(), in), r.largestPrompt(), r.summaryCalls(),
					r.costNoCache(), r.costCached(), full == null ? "-" : percent(r.costCached(), full.costNoCache()),
					r.turnsMissingRecent() == 0 ? "every turn" : (turns - r.turnsMissingRecent()) + " of " + turns,
					r.factAtLastTurn() ? "yes" : "no");
		}
	}

	private static String percent(long part, long whole) {
		return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
	}

	private static String percent(BigDecimal part, BigDecimal whole) {
		return whole.signum() == 0 ? "-"
				: part.multiply(BigDecimal.valueOf(100)).divide(whole, 1, RoundingMode.HALF_UP).toPlainString() + "%";
	}

}
