package io.switchboard.channel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.switchboard.fakes.FakeChatServer;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.testsupport.McpTestServer;
import io.switchboard.testsupport.StandaloneApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every channel must do the same, tested once and run by each channel's test:
 * answered once however often (and however at once) the platform delivers an event;
 * answered after the server was stopped in the middle of a turn; a forged event refused
 * with nothing stored; a failing model told as a plain message with the question kept;
 * one user's messages answered in the order sent while other users do not wait.
 *
 * <p>
 * A channel's test extends this and supplies a {@link Rig}: its platform's fakes and how
 * to send and read through them. The contract starts whole servers of its own on those
 * fakes (on an SQLite file, or a database a subclass names), so a server can be stopped
 * and started again on the same database, as in production.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ChannelContract {

	protected static final Duration WAIT = Duration.ofSeconds(30);

	private final FakeOpenAi model = FakeOpenAi.start("sk-contract");

	/** An MCP server (the SDK's own) whose tools every contract server's sessions use. */
	private final McpTestServer mcp = McpTestServer.startHttp("mcp-contract-key");

	private Path folder;

	private Rig rig;

	private ConfigurableApplicationContext server;

	/** One event as the platform sends it, delivered as often as a test likes. */
	public interface PlatformEvent {

	}

	/**
	 * A channel's platform faked on 127.0.0.1, for the servers the contract starts; the
	 * servers' settings come from here.
	 */
	public interface Rig extends AutoCloseable {

		/** The settings that point a server at these fakes, as {@code name=value}. */
		List<String> settings();

		/** Someone new on the platform. */
		String newUser();

		/**
		 * Makes ready whatever a user needs before their first message reaches the server
		 * (the web page signs in), so that timing tests measure the pipeline.
		 */
		default void prepare(ConfigurableApplicationContext server, String user) {
		}

		/**
		 * A message from a user, as the platform would deliver it; all of one user's
		 * messages are in one place (one chat, or one thread).
		 */
		PlatformEvent message(String user, String text);

		/**
		 * Presses the button with this label on the newest message shown to the user that
		 * has one, as the platform delivers the press; false while no message shows it.
		 */
		boolean press(ConfigurableApplicationContext server, String user, String label);

		/** Delivers an event; fails the test unless the server accepted it. */
		void deliver(ConfigurableApplicationContext server, PlatformEvent event);

		/**
		 * Delivers an event forged (a wrong signature, or what the platform's trust rests
		 * on missing); fails the test unless the server refused it.
		 */
		void deliverForged(ConfigurableApplicationContext server, PlatformEvent event);

		/**
		 * What the user has been shown in answer, as it reads now, in order (a
		 * placeholder while an answer is written included: one left behind is a fault).
		 */
		List<String> answersTo(ConfigurableApplicationContext server, String user);

		/**
		 * Everything the user has been shown, notices (a command's reply, a proposal with
		 * its buttons) included, where the platform shows them apart from the answers.
		 */
		default List<String> shownTo(ConfigurableApplicationContext server, String user) {
			return answersTo(server, user);
		}

		@Override
		void close();

	}

	/** A fresh set of this channel's fakes. */
	protected abstract Rig newRig();

	/**
	 * The database a contract server uses: an SQLite file in {@code folder} unless a
	 * subclass names another.
	 * @param name the server's name, unique in the test
	 */
	protected String database(Path folder, String name) {
		return "jdbc:sqlite:" + folder.resolve(name + ".db");
	}

	/** Settings the database needs besides its URL (a PostgreSQL user, say). */
	protected List<String> databaseSettings() {
		return List.of();
	}

	@BeforeAll
	void startContractServer() throws IOException {
		folder = Files.createTempDirectory("channel-contract");
		rig = newRig();
		server = start(rig, database(folder, "main"));
	}

	@AfterAll
	void stopContractServer() {
		if (server != null) {
			server.close();
		}
		if (rig != null) {
			rig.close();
		}
		model.close();
		mcp.close();
	}

	@BeforeEach
	void freshModel() {
		model.reset();
	}

	private ConfigurableApplicationContext start(Rig on, String database) {
		List<String> settings = new ArrayList<>(on.settings());
		settings.addAll(databaseSettings());
		settings.addAll(List.of("switchboard.llm.providers.contract.type=openai",
				"switchboard.llm.providers.contract.base-url=" + model.baseUrl(),
				"switchboard.llm.providers.contract.api-key=" + model.apiKey(),
				"switchboard.llm.models.contract-model.provider=contract",
				"switchboard.llm.models.contract-model.upstream-model=gpt-4o-mini",
				"switchboard.llm.models.contract-model.context-window=16000",
				"switchboard.llm.default-model=contract-model", "switchboard.llm.retry.initial-backoff=10ms",
				"switchboard.channel.turn-lease=2s", "switchboard.channel.recovery-interval=500ms",
				"switchboard.channel.delivery-sweep-interval=200ms", "spring.lifecycle.timeout-per-shutdown-phase=3s",
				// a built-in tool that asks first, for the confirmation tests
				"switchboard.tools.confirm=current_time", "switchboard.tools.mcp.notes.url=" + mcp.url(),
				"switchboard.tools.mcp.notes.headers." + McpTestServer.KEY_HEADER + "=mcp-contract-key",
				"switchboard.tools.mcp.notes.enabled-by-default=true", "switchboard.image.demo.duration=300ms",
				"spring.datasource.hikari.maximum-pool-size=5", "logging.level.io.switchboard=INFO",
				// a budget the proposal tests' long messages pass in a few
				// turns (the other tests' short ones never do), and
				// compaction proposing facts
				"switchboard.llm.models.contract-model.context-budget=1500", "switchboard.memory.suggest=true",
				"switchboard.assistant.compaction.summary-max-tokens=100"));
		return StandaloneApplication.startOn(database, settings.toArray(String[]::new));
	}

	/** The server the contract's tests share. */
	protected ConfigurableApplicationContext contractServer() {
		return server;
	}

	/** The fakes of that server. */
	protected Rig contractRig() {
		return rig;
	}

	private static String unique(String text) {
		return text + " " + UUID.randomUUID().toString().substring(0, 8);
	}

	private static JdbcClient database(ConfigurableApplicationContext on) {
		return on.getBean(JdbcClient.class);
	}

	/**
	 * User messages stored with exactly this text (read in SQL; a subclass whose messages
	 * live elsewhere reads them there).
	 */
	protected int questionsStored(ConfigurableApplicationContext on, String text) {
		return database(on).sql("SELECT COUNT(*) FROM messages WHERE role = 'user' AND content LIKE ?")
			.param("%" + text.replace("%", "") + "%")
			.query(Integer.class)
			.single();
	}

	/** How the answer to the question with this text stands. */
	protected String answerState(ConfigurableApplicationContext on, String text) {
		return database(on).sql("""
				SELECT a.state FROM messages a JOIN messages q ON a.reply_to = q.id
				 WHERE q.content LIKE ?""").param("%" + text.replace("%", "") + "%").query(String.class).single();
	}

	private int modelRequestsAbout(String text) {
		return (int) model.requests().stream().filter(request -> request.bodyText().contains(text)).count();
	}

	private List<String> answersTo(String user) {
		return rig.answersTo(server, user);
	}

	// ------------------------------------------------------------------ tests

	@Test
	void anEventDeliveredFiveTimesInARowIsAnsweredOnce() {
		String user = rig.newUser();
		String text = unique("Only once, please");
		PlatformEvent event = rig.message(user, text);

		for (int i = 0; i < 5; i++) {
			rig.deliver(server, event);
		}

		await().atMost(WAIT).until(() -> answersTo(user).size() == 1);
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> answersTo(user).size() == 1);
		assertThat(answersTo(user).getFirst()).contains("Echo: " + text);
		assertThat(modelRequestsAbout(text)).isEqualTo(1);
		assertThat(questionsStored(server, text)).isEqualTo(1);
		assertThat(answerState(server, text)).isEqualTo("answered");
	}

	@Test
	void anEventDeliveredFiveTimesAtOnceIsAnsweredOnce() throws Exception {
		String user = rig.newUser();
		String text = unique("All at once");
		PlatformEvent event = rig.message(user, text);

		try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> sent = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				sent.add(senders.submit(() -> {
					start.await();
					rig.deliver(server, event);
					return null;
				}));
			}
			start.countDown();
			for (Future<?> one : sent) {
				one.get();
			}
		}

		await().atMost(WAIT).until(() -> answersTo(user).size() == 1);
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> answersTo(user).size() == 1);
		assertThat(modelRequestsAbout(text)).isEqualTo(1);
		assertThat(questionsStored(server, text)).isEqualTo(1);
	}

	@Test
	void anAnswerSentWhileTheDatabaseCannotMarkItReachesTheUserOnce() throws InterruptedException {
		String user = rig.newUser();
		String text = unique("Mark me later");
		// while refused, the database refuses to mark any delivery sent, as a busy or
		// briefly unreachable database would after the platform took the answer
		Runnable lift = refuseMarkingSent(server);
		try {
			rig.deliver(server, rig.message(user, text));

			await().atMost(WAIT).until(() -> answersTo(user).size() == 1);
			Thread.sleep(1_000); // the first attempts to mark it fail meanwhile
			lift.run();
			await().atMost(WAIT).until(() -> pendingDeliveries(server) == 0);
			await().during(Duration.ofSeconds(4))
				.atMost(Duration.ofSeconds(10))
				.until(() -> answersTo(user).size() == 1);
			assertThat(answersTo(user).getFirst()).contains("Echo: " + text);
		}
		finally {
			lift.run();
		}
	}

	/**
	 * Makes the server's database refuse to mark deliveries sent until the returned
	 * action is run (it may run twice). The SQL databases get a trigger; a subclass whose
	 * deliveries live elsewhere refuses there.
	 */
	protected Runnable refuseMarkingSent(ConfigurableApplicationContext on) {
		JdbcClient db = database(on);
		boolean postgres = on.getEnvironment().getProperty("spring.datasource.url", "").startsWith("jdbc:postgresql");
		db.sql("CREATE TABLE IF NOT EXISTS test_refuse_sent (refuse INTEGER)").update();
		db.sql("INSERT INTO test_refuse_sent VALUES (1)").update();
		if (postgres) {
			db.sql("""
					CREATE OR REPLACE FUNCTION test_refuse_sent() RETURNS trigger AS $$
					BEGIN
					  IF NEW.state = 'sent' AND EXISTS (SELECT 1 FROM test_refuse_sent) THEN
					    RAISE EXCEPTION 'database busy (test)';
					  END IF;
					  RETURN NEW;
					END $$ LANGUAGE plpgsql""").update();
			db.sql("""
					CREATE TRIGGER test_refuse_sent BEFORE UPDATE ON channel_deliveries
					FOR EACH ROW EXECUTE FUNCTION test_refuse_sent()""").update();
		}
		else {
			db.sql("""
					CREATE TRIGGER test_refuse_sent BEFORE UPDATE ON channel_deliveries
					WHEN NEW.state = 'sent' AND EXISTS (SELECT 1 FROM test_refuse_sent)
					BEGIN SELECT RAISE(ABORT, 'database busy (test)'); END""").update();
		}
		java.util.concurrent.atomic.AtomicBoolean lifted = new java.util.concurrent.atomic.AtomicBoolean();
		return () -> {
			db.sql("DELETE FROM test_refuse_sent").update();
			if (lifted.compareAndSet(false, true)) {
				db.sql("DROP TRIGGER test_refuse_sent" + (postgres ? " ON channel_deliveries" : "")).update();
			}
		};
	}

	/** Deliveries not yet sent (nor given up). */
	protected int pendingDeliveries(ConfigurableApplicationContext on) {
		return database(on).sql("SELECT COUNT(*) FROM channel_deliveries WHERE state = 'pending'")
			.query(Integer.class)
			.single();
	}

	/**
	 * Makes the server's turns look held by a node that was killed: not let go at
	 * shutdown, so their lease has to run out.
	 */
	protected void pretendTurnsHeldByAKilledNode(ConfigurableApplicationContext on) {
		database(on).sql("UPDATE channel_turns SET node = 'killed-node'").update();
	}

	/** Turns under way. */
	protected int turnsUnderWay(ConfigurableApplicationContext on) {
		return database(on).sql("SELECT COUNT(*) FROM channel_turns").query(Integer.class).single();
	}

	@Test
	void aForgedEventIsRefusedAndNothingIsStored() {
		String user = rig.newUser();
		String text = unique("Let me in");

		rig.deliverForged(server, rig.message(user, text));

		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> answersTo(user).isEmpty());
		assertThat(questionsStored(server, text)).isZero();
		assertThat(modelRequestsAbout(text)).isZero();
	}

	@Test
	void aFailingModelGivesAPlainMessageAndKeepsTheQuestion() {
		String user = rig.newUser();
		String text = unique("Are you there?");
		model.failNext(10, FakeChatServer.Failure.SERVER_ERROR);

		rig.deliver(server, rig.message(user, text));

		// a platform that shows a placeholder at once (Slack's "Thinking…") edits it into
		// the message once the model has failed every retry: the message as it ends
		await().atMost(WAIT)
			.until(() -> answersTo(user).size() == 1
					&& answersTo(user).getFirst().toLowerCase(java.util.Locale.ROOT).contains("try again"));
		assertThat(answersTo(user).getFirst()).doesNotContain("Echo").containsIgnoringCase("try again");
		assertThat(questionsStored(server, text)).isEqualTo(1);
		assertThat(answerState(server, text)).isEqualTo("failed");
	}

	@Test
	void oneUsersMessagesAreAnsweredInTheOrderSentAndOthersDoNotWait() {
		String user = rig.newUser();
		String other = rig.newUser();
		String tag = UUID.randomUUID().toString().substring(0, 8);
		// the first questions take the model longest: answered as they come, they would
		// arrive backwards
		model.thinkingTime(question -> question.contains(tag + " #1") ? Duration.ofMillis(4000)
				: question.contains(tag + " #2") ? Duration.ofMillis(2000) : Duration.ZERO);
		rig.prepare(server, user);
		rig.prepare(server, other);

		for (int i = 1; i <= 4; i++) {
			rig.deliver(server, rig.message(user, tag + " #" + i));
		}
		String quick = unique("Quick one");
		rig.deliver(server, rig.message(other, quick));

		// the other user's question does not wait behind the slow ones
		await().atMost(WAIT).until(() -> answersTo(other).stream().anyMatch(answer -> answer.contains("Echo: ")));
		assertThat(answersTo(user).stream().filter(answer -> answer.contains("Echo: "))).hasSizeLessThan(4);
		java.util.regex.Pattern whole = java.util.regex.Pattern.compile("Echo: " + tag + " #\\d");
		await().atMost(WAIT)
			.until(() -> answersTo(user).size() == 4
					&& answersTo(user).stream().allMatch(answer -> whole.matcher(answer).find()));
		List<String> answers = answersTo(user);
		for (int i = 1; i <= 4; i++) {
			assertThat(answers.get(i - 1)).as("answer %d of %s", i, answers).contains("Echo: " + tag + " #" + i);
		}
	}

	@Test
	void aPictureAskedForInPlainWordsIsDrawnAndDeliveredWhereItWasAsked() {
		String user = rig.newUser();
		rig.prepare(server, user);
		long before = lastImageJob();
		model.callToolNext("draw_image", "{\"prompt\":\"a fox in the snow\"}").reply("Your fox is on its way.");

		rig.deliver(server, rig.message(user, unique("Draw me a fox in the snow")));

		await().atMost(WAIT).until(() -> answersTo(user).stream().anyMatch(answer -> answer.contains("on its way")));
		long job = lastImageJob();
		assertThat(job).isGreaterThan(before);
		// the four candidates are made, and wherever the platform gets a job's message
		// (all but the web page, which follows the job's own stream) it is sent
		await().atMost(WAIT)
			.until(() -> "succeeded".equals(database(server).sql("SELECT state FROM image_jobs WHERE id = ?")
				.param(job)
				.query(String.class)
				.single()));
		await().atMost(WAIT)
			.until(() -> database(server)
				.sql("SELECT COUNT(*) FROM channel_deliveries WHERE dedup_key = ? AND state <> 'sent'")
				.param("image:" + job)
				.query(Integer.class)
				.single() == 0);
		assertThat(database(server).sql("SELECT prompt FROM image_jobs WHERE id = ?")
			.param(job)
			.query(String.class)
			.single()).contains("a fox in the snow");
	}

	@Test
	void anMcpServersToolIsUsedInTheConversation() {
		String user = rig.newUser();
		rig.prepare(server, user);
		model.callToolNext("notes__secret_word", "{}").reply("The word is out.");

		rig.deliver(server, rig.message(user, unique("What is the secret word?")));

		await().atMost(WAIT).until(() -> answersTo(user).stream().anyMatch(answer -> answer.contains("word is out")));
		assertThat(model.toolResults(model.requests().getLast().json())).singleElement()
			.satisfies(result -> assertThat(result.text()).isEqualTo(McpTestServer.SECRET_WORD));
	}

	private long lastImageJob() {
		return database(server).sql("SELECT COALESCE(MAX(id), 0) FROM image_jobs").query(Long.class).single();
	}

	@Test
	void aToolThatAsksFirstRunsAfterThePlatformsButtonIsPressed() {
		String user = rig.newUser();
		rig.prepare(server, user);
		String zone = "Asia/Tokyo";
		model.callToolNext("current_time", "{\"time_zone\":\"" + zone + "\"}").reply("It is late in Tokyo.");

		rig.deliver(server, rig.message(user, unique("What time is it in Tokyo?")));

		await().atMost(WAIT)
			.until(() -> answersTo(user).stream().anyMatch(answer -> answer.contains("Waiting for your yes")));
		// the model is asked once; nothing waits for the user
		int asked = model.requests().size();
		await().atMost(WAIT).until(() -> rig.press(server, user, "Run it"));

		await().atMost(WAIT).until(() -> answersTo(user).stream().anyMatch(answer -> answer.contains("late in Tokyo")));
		assertThat(model.requests()).hasSize(asked + 1);
		assertThat(model.toolResults(model.requests().getLast().json())).singleElement()
			.satisfies(result -> assertThat(result.text()).contains(zone));
	}

	@Test
	void aToolWhoseQuestionIsDeclinedDoesNotRunAndTheModelHearsIt() {
		String user = rig.newUser();
		rig.prepare(server, user);
		model.callToolNext("current_time", "{}").reply("All right, no clock.");

		rig.deliver(server, rig.message(user, unique("What time is it?")));
		await().atMost(WAIT)
			.until(() -> answersTo(user).stream().anyMatch(answer -> answer.contains("Waiting for your yes")));
		await().atMost(WAIT).until(() -> rig.press(server, user, "Don't run it"));

		await().atMost(WAIT).until(() -> answersTo(user).stream().anyMatch(answer -> answer.contains("no clock")));
		assertThat(model.toolResults(model.requests().getLast().json())).singleElement()
			.satisfies(result -> assertThat(result.text()).contains("declined"));
	}

	/**
	 * Chats in long messages until a turn compacts the conversation and the summary model
	 * proposes the fact, then waits for the proposal with its buttons.
	 */
	private void chatUntilProposed(String user, String fact) {
		model.answerWith(question -> question.startsWith("Summary so far:")
				? "The user explained a long migration plan.\nFACTS:\n- " + fact : "Echo: " + question);
		String tag = UUID.randomUUID().toString().substring(0, 8);
		String filler = " The migration plan covers the rollout, the risks we listed and the review next Monday."
			.repeat(18);
		for (int n = 1; n <= 10; n++) {
			String echo = "Echo: " + tag + " #" + n + " ";
			rig.deliver(server, rig.message(user, tag + " #" + n + filler));
			await().atMost(WAIT).until(() -> answersTo(user).stream().anyMatch(answer -> answer.contains(echo)));
			if (model.requests().stream().anyMatch(request -> request.bodyText().contains("Summary so far:"))) {
				// the turn that compacted delivers its proposal right after its answer
				await().atMost(WAIT)
					.until(() -> shownTo(user).stream().anyMatch(shown -> shown.contains("Remember this about you?")));
				assertThat(shownTo(user)).anyMatch(shown -> shown.contains(fact));
				return;
			}
		}
		throw new AssertionError("no proposal in 10 long turns: " + shownTo(user));
	}

	private List<String> shownTo(String user) {
		return rig.shownTo(server, user);
	}

	/** The system prompt of the model request that carried this question. */
	private String systemPromptFor(String question) {
		return model.requests()
			.stream()
			.filter(request -> request.bodyText().contains(question) && !request.bodyText().contains("Summary so far:"))
			.map(request -> model.systemPrompt(request.json()))
			.reduce((first, last) -> last)
			.orElseThrow();
	}

	@Test
	void aProposedFactIsRememberedWhenItsButtonIsPressedOnce() {
		String user = rig.newUser();
		rig.prepare(server, user);
		String fact = "I am vegetarian " + UUID.randomUUID().toString().substring(0, 6);
		chatUntilProposed(user, fact);
		int shown = shownTo(user).size();

		assertThat(rig.press(server, user, "Remember")).isTrue();
		await().atMost(WAIT).until(() -> shownTo(user).stream().anyMatch(answer -> answer.contains("Remembered (1)")));
		// a second press finds the proposal answered, and changes nothing (a platform
		// may have taken the button away instead)
		if (rig.press(server, user, "Remember")) {
			await().atMost(WAIT)
				.until(() -> shownTo(user).stream().anyMatch(answer -> answer.contains("not waiting any more")));
		}
		assertThat(shownTo(user).stream().skip(shown)).noneMatch(answer -> answer.contains("Remembered (2)"));

		model.echo();
		String question = unique("Do you know me?");
		rig.deliver(server, rig.message(user, question));
		await().atMost(WAIT).until(() -> answersTo(user).stream().anyMatch(answer -> answer.contains(question)));
		assertThat(systemPromptFor(question)).contains(fact);
		assertThat(systemPromptFor(question).split(java.util.regex.Pattern.quote(fact), -1)).hasSize(2);
	}

	@Test
	void aProposedFactIsNotRememberedWhenTheOtherButtonIsPressed() {
		String user = rig.newUser();
		rig.prepare(server, user);
		String fact = "I live in Lyon " + UUID.randomUUID().toString().substring(0, 6);
		chatUntilProposed(user, fact);

		assertThat(rig.press(server, user, "Don't remember")).isTrue();
		await().atMost(WAIT).until(() -> shownTo(user).stream().anyMatch(answer -> answer.contains("Not remembered.")));
		// the proposal is answered: its Remember button no longer remembers it
		if (rig.press(server, user, "Remember")) {
			await().atMost(WAIT)
				.until(() -> shownTo(user).stream().anyMatch(answer -> answer.contains("not waiting any more")));
		}
		assertThat(shownTo(user)).noneMatch(answer -> answer.contains("Remembered ("));

		model.echo();
		String question = unique("Do you know me?");
		rig.deliver(server, rig.message(user, question));
		await().atMost(WAIT).until(() -> answersTo(user).stream().anyMatch(answer -> answer.contains(question)));
		assertThat(systemPromptFor(question)).doesNotContain(fact);
	}

	@Test
	void aTurnUnderWayWhenTheServerDiesIsAnsweredOnceAfterItStartsAgain() {
		try (Rig own = newRig()) {
			String database = database(folder, "restart-" + UUID.randomUUID().toString().substring(0, 8));
			String user = own.newUser();
			String text = unique("Survive this");
			CountDownLatch release = new CountDownLatch(1);
			model.holdNextStreamAfterFirstPiece(release);

			ConfigurableApplicationContext first = start(own, database);
			try {
				own.deliver(first, own.message(user, text));
				await().atMost(WAIT).until(() -> modelRequestsAbout(text) == 1);
				// as if the process were killed: it does not let go of its turn, whose
				// lease
				// then has to run out
				pretendTurnsHeldByAKilledNode(first);
			}
			finally {
				first.close();
			}
			release.countDown();

			ConfigurableApplicationContext second = start(own, database);
			try {
				await().atMost(WAIT).until(() -> own.answersTo(second, user).size() == 1);
				await().during(Duration.ofSeconds(1))
					.atMost(Duration.ofSeconds(5))
					.until(() -> own.answersTo(second, user).size() == 1);
				assertThat(own.answersTo(second, user).getFirst()).contains("Echo: " + text);
				assertThat(questionsStored(second, text)).isEqualTo(1);
				assertThat(answerState(second, text)).isEqualTo("answered");
				assertThat(turnsUnderWay(second)).isZero();
			}
			finally {
				second.close();
			}
		}
	}

}
