package io.switchboard.assistant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.switchboard.SwitchboardApplication;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.Exchange;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserRole;
import io.switchboard.llm.ChatRequest;
import io.switchboard.llm.ModelCatalog;
import io.switchboard.llm.ModelSpec;
import io.switchboard.llm.Price;
import io.switchboard.llm.TokenCounter;
import io.switchboard.testsupport.Postgres;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What one chat turn costs before the model is called (pick the session, assemble its
 * context), in a session of 1,000 and of 100,000 stored messages. The whole application
 * runs on a fresh database (SQLite by default, PostgreSQL with
 * {@code -p database=postgresql}); the history is bulk-loaded in {@link #setUp()}.
 * <p>
 * Two windows: the demo model's 16k, which holds a few hundred of these messages, and a
 * 128k one, which holds a few thousand (so all of a 1,000-message session). The cost
 * should follow the context that fits, never the history stored.
 * <p>
 * Run it with {@code bench/context-assembly.sh} (see {@code docs/benchmarks.md}). It is
 * not a unit test: surefire does not pick it up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED" })
public class ContextAssemblyBenchmark {

	/** Stored messages in the session's (only) topic. */
	@Param({ "1000", "100000" })
	public int messageCount;

	/**
	 * The model's context window: {@code 16k} is the configured demo model, {@code 128k}
	 * a model spec made here with a 128k window.
	 */
	@Param({ "16k", "128k" })
	public String window;

	/** {@code sqlite} (the default), or {@code postgresql} at the test server. */
	@Param({ "sqlite" })
	public String database;

	private static final String QUESTION = "Thanks. Could you summarise what we said about the migration plan, "
			+ "and list the three risks you think matter most for the rollout next week?";

	private static final String SYSTEM_PROMPT = "You are a helpful assistant for a small engineering team. "
			+ "Answer concisely, use Markdown lists where they help, and say so when you are not sure.";

	/** Everyday and technical words the stored messages are made of. */
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

	private ConfigurableApplicationContext context;

	private Path folder;

	private String schema;

	private Conversations conversations;

	private ContextAssembler assembler;

	private ModelCatalog models;

	private User user;

	private Session session;

	private ModelSpec model;

	private Place place;

	private Exchange question;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		List<String> args = new ArrayList<>();
		if ("postgresql".equals(database)) {
			String url = Postgres.newSchema();
			this.schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
			args.add("--spring.datasource.url=" + url);
			args.add("--spring.datasource.username=" + Postgres.USER);
			args.add("--spring.datasource.password=");
		}
		else {
			this.folder = Files.createTempDirectory("switchboard-bench");
			// the same settings as application.yml and application-test.yml, on a file of
			// our own
			args.add("--spring.datasource.url=jdbc:sqlite:" + this.folder.resolve("bench.db")
					+ "?journal_mode=WAL&busy_timeout=10000&foreign_keys=true&synchronous=NORMAL"
					+ "&transaction_mode=IMMEDIATE");
		}
		args.add("--spring.main.banner-mode=off");
		// the web channel needs a servlet application (HttpSecurity); a random port
		// keeps it out of the way of anything else running
		args.add("--server.port=0");
		args.add("--spring.thymeleaf.check-template-location=false");
		args.add("--logging.level.root=WARN");
		args.add("--logging.level.io.switchboard=WARN");
		this.context = new SpringApplicationBuilder(SwitchboardApplication.class).profiles("test")
			.web(WebApplicationType.SERVLET)
			.run(args.toArray(String[]::new));

		this.conversations = this.context.getBean(Conversations.class);
		this.assembler = this.context.getBean(ContextAssembler.class);
		this.models = this.context.getBean(ModelCatalog.class);
		this.place = Place.web();
		User owner = this.conversations.createUser(new PlatformUserId("web", "bench-" + UUID.randomUUID()), "Bench",
				UserRole.MEMBER);
		Session created = this.conversations.createSession(owner.id(), this.place, "Benchmark", true);
		this.conversations.setSessionSystemPrompt(owner.id(), created.id(), SYSTEM_PROMPT);
		this.user = this.conversations.user(owner.id());
		this.session = this.conversations.session(owner.id(), created.id());

		long started = System.nanoTime();
		insertHistory(this.session, this.user);
		long loadMillis = (System.nanoTime() - started) / 1_000_000;
		if ("postgresql".equals(database)) {
			// a long-lived server has had autovacuum vacuum and analyse the table; done
			// here, it does not run in the background during the measurement instead
			this.context.getBean(JdbcTemplate.class).execute("VACUUM ANALYZE messages");
		}

		this.model = switch (this.window) {
			case "16k" -> this.models.defaultModel();
			case "128k" -> new ModelSpec("bench-128k", ModelCatalog.DEMO, ModelCatalog.DEMO, 131_072, 4_096, Price.FREE,
					true, true);
			default -> throw new IllegalArgumentException("window must be 16k or 128k, was " + this.window);
		};
		// the turn's question, stored on arrival as every question is
		this.question = this.conversations.ask(this.user,
				this.conversations.chooseSession(this.user, this.place, this.session.id(), QUESTION),
				List.of(new MessagePart.Text(QUESTION)), 12, null);

		// what one turn sees, to check that the setting is as described
		ContextAssembler.AssembledContext sample = turn();
		System.err.printf(
				"%n[setup] %s, %,d messages loaded in %,d ms; %s (%,d-token window): context of %,d "
						+ "messages, %,d omitted%n",
				this.database, this.conversations.messageCount(this.session.id()), loadMillis, this.model.name(),
				this.model.contextWindow(), sample.request().messages().size(), sample.omitted());
		System.err.println("[setup] plan of a context page: " + contextPagePlan());
	}

	/**
	 * Everything a chat turn does before it calls the model (see
	 * {@code Assistant.answer}): read the question and its session, look up its model,
	 * assemble the context.
	 */
	@Benchmark
	public ChatRequest assembleTurn() {
		return turn().request();
	}

	private ContextAssembler.AssembledContext turn() {
		Exchange exchange = this.conversations.exchange(this.question.answerId()).orElseThrow();
		ModelSpec chosen = "16k".equals(this.window) ? this.models.findOrDefault(exchange.session().model())
				: this.model;
		return this.assembler.assemble(exchange, chosen, chosen.maxOutputTokens(), 1.0);
	}

	/**
	 * How the database runs {@code MessageStore.newestFirst}'s query: it should walk the
	 * {@code (session_id, topic, seq)} unique index backwards and stop at the limit.
	 */
	private String contextPagePlan() {
		JdbcTemplate jdbc = this.context.getBean(JdbcTemplate.class);
		String query = "SELECT * FROM messages WHERE session_id = ? AND topic = ? AND seq < ? ORDER BY seq DESC LIMIT ?";
		Object[] params = { this.session.id().value(), 1, Integer.MAX_VALUE, 32 };
		List<String> plan = "postgresql".equals(this.database)
				? jdbc.queryForList("EXPLAIN " + query, String.class, params)
				: jdbc.query("EXPLAIN QUERY PLAN " + query, (row, n) -> row.getString("detail"), params);
		return String.join(" | ", plan).replaceAll("\\s+", " ");
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException, SQLException {
		if (this.context != null) {
			this.context.close();
		}
		if (this.schema != null) {
			// only once the application is closed: its background scheduler polls until
			// then
			try (Connection connection = DriverManager.getConnection(Postgres.URL, Postgres.USER, "");
					Statement statement = connection.createStatement()) {
				statement.execute("DROP SCHEMA " + this.schema + " CASCADE");
			}
		}
		if (this.folder != null) {
			try (Stream<Path> files = Files.walk(this.folder)) {
				for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(file);
				}
			}
		}
	}

	/**
	 * Writes {@link #messageCount} alternating questions and answers into topic 1 with
	 * batched inserts in one transaction: content as {@code PartsCodec} writes it, token
	 * counts as the assistant stores them (the real tokenizer's count plus the
	 * per-message overhead).
	 */
	private void insertHistory(Session target, User author) {
		JdbcTemplate jdbc = this.context.getBean(JdbcTemplate.class);
		TransactionTemplate transactions = this.context.getBean(TransactionTemplate.class);
		ObjectMapper json = this.context.getBean(ObjectMapper.class);
		TokenCounter tokens = this.context.getBean(TokenCounter.class);
		Random random = new Random(42);
		long start = System.currentTimeMillis() - this.messageCount * 30_000L;
		String sql = """
				INSERT INTO messages (session_id, topic, seq, role, author_id, content, token_count, model, provider,
				                      tokens_in, tokens_out, cost_nanos, latency_ms, context_omitted, finish_reason,
				                      created_at, state)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
		int batchSize = 1_000;
		transactions.executeWithoutResult(status -> {
			List<Object[]> batch = new ArrayList<>(batchSize);
			for (int seq = 1; seq <= this.messageCount; seq++) {
				boolean fromUser = seq % 2 == 1;
				String text = fromUser ? sentences(random, 50, 250) : sentences(random, 120, 400);
				ArrayNode parts = json.createArrayNode();
				parts.addObject().put("type", "text").put("text", text);
				int tokenCount = tokens.count(text) + TokenCounter.PER_MESSAGE_OVERHEAD;
				long at = start + seq * 30_000L;
				batch.add(fromUser
						? new Object[] { target.id().value(), 1, seq, "user", author.id().value(), parts.toString(),
								tokenCount, null, null, null, null, null, null, null, null, at, null }
						: new Object[] { target.id().value(), 1, seq, "assistant", null, parts.toString(), tokenCount,
								ModelCatalog.DEMO, ModelCatalog.DEMO, 900 + random.nextInt(9_000), tokenCount, 0L,
								300 + random.nextInt(3_000), 0, "stop", at, "answered" });
				if (batch.size() == batchSize) {
					jdbc.batchUpdate(sql, batch);
					batch.clear();
				}
			}
			if (!batch.isEmpty()) {
				jdbc.batchUpdate(sql, batch);
			}
		});
	}

	/** Text of {@code min} to {@code max} characters in sentences of everyday words. */
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
			else if (end == 1) {
				text.append(", ");
			}
			else {
				text.append(' ');
			}
		}
		String cut = text.substring(0, length).strip();
		return cut.endsWith(".") ? cut : cut + ".";
	}

}
