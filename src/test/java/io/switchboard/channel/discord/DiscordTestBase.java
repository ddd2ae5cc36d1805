package io.switchboard.channel.discord;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.switchboard.assistant.Received;
import io.switchboard.channel.Intake;
import io.switchboard.channel.Taken;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.User;
import io.switchboard.fakes.FakeDiscord;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.fakes.FakeTranscriptions;
import io.switchboard.testsupport.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole application with the Discord channel on, JDA connected to the fake Discord,
 * and two chat models served by the fake OpenAI. The test classes extending this share
 * one application (same settings), and each test makes its own people.
 */
@IntegrationTest
abstract class DiscordTestBase {

	static final Duration WAIT = Duration.ofSeconds(20);

	/** The edit pace of streamed answers in these tests. */
	static final Duration EDIT_INTERVAL = Duration.ofMillis(200);

	/** The pace of image progress edits in these tests. */
	static final Duration IMAGE_PROGRESS_INTERVAL = Duration.ofMillis(300);

	static final FakeDiscord discord = FakeDiscord.start();

	static final FakeOpenAi openai = FakeOpenAi.start();

	/** Hears voice messages. */
	static final FakeTranscriptions whisper = FakeTranscriptions.start(null);

	/** Speaks answers, for people who switch spoken answers on. */
	static final io.switchboard.fakes.FakeSpeech tts = io.switchboard.fakes.FakeSpeech.start(null);

	private static final AtomicInteger people = new AtomicInteger();

	/** What became of each message the bot received, by message id. */
	private static final Map<Long, CompletableFuture<Optional<Taken>>> handled = new ConcurrentHashMap<>();

	/** The listener {@link #handled} is filled from (one per application context). */
	private static DiscordListener observed;

	@Autowired
	Conversations conversations;

	@Autowired
	DiscordListener listener;

	@Autowired
	Intake intake;

	@DynamicPropertySource
	static void fakes(DynamicPropertyRegistry registry) {
		registry.add("switchboard.discord.token", () -> FakeDiscord.TOKEN);
		registry.add("switchboard.discord.rest-base-url", discord::restBaseUrl);
		registry.add("switchboard.discord.gateway-url", discord::gatewayUrl);
		registry.add("switchboard.discord.command-guilds", () -> Long.toString(FakeDiscord.GUILD_ID));
		registry.add("switchboard.discord.edit-interval", EDIT_INTERVAL::toString);
		// people here are answered from their first message, as on other platforms;
		// Discord's own start (disabled, attach off) is PlatformDefaultsTest's. Answers
		// stay at Discord's 500 tokens.
		registry.add("switchboard.conversation.platforms.discord.initial-state", () -> "new");
		registry.add("switchboard.conversation.platforms.discord.attach-new-sessions", () -> "true");
		registry.add("switchboard.llm.providers.fake.type", () -> "openai");
		registry.add("switchboard.llm.providers.fake.base-url", () -> openai.baseUrl().toString());
		registry.add("switchboard.llm.models.gpt-test.provider", () -> "fake");
		registry.add("switchboard.llm.models.gpt-test.upstream-model", () -> "gpt-4o-mini");
		registry.add("switchboard.llm.models.gpt-test.context-window", () -> "32000");
		registry.add("switchboard.llm.models.gpt-test.vision", () -> "true");
		registry.add("switchboard.llm.models.gpt-other.provider", () -> "fake");
		registry.add("switchboard.llm.models.gpt-other.upstream-model", () -> "gpt-4o");
		registry.add("switchboard.llm.models.gpt-other.context-window", () -> "64000");
		registry.add("switchboard.llm.default-model", () -> "gpt-test");
		registry.add("switchboard.llm.providers.whisper.type", () -> "openai");
		registry.add("switchboard.llm.providers.whisper.base-url", () -> whisper.baseUrl().toString());
		registry.add("switchboard.voice.provider", () -> "whisper");
		registry.add("switchboard.llm.providers.tts.type", () -> "openai");
		registry.add("switchboard.llm.providers.tts.base-url", () -> tts.baseUrl().toString());
		registry.add("switchboard.voice.speech.provider", () -> "tts");
		// the demo image provider takes 2 s, polled every 0.5 s: progress to show
		registry.add("switchboard.image.demo.duration", () -> "2s");
		registry.add("db-scheduler.polling-interval", () -> "100ms");
		registry.add("switchboard.discord.image-progress-interval", IMAGE_PROGRESS_INTERVAL::toString);
		registry.add("switchboard.comic.run-poll-interval", () -> "200ms");
	}

	@BeforeEach
	void connected() {
		discord.awaitReady(WAIT);
		synchronized (handled) {
			if (observed != listener) {
				listener.observe(message -> outcome(message.messageId()).complete(message.taken()));
				observed = listener;
			}
		}
	}

	private static CompletableFuture<Optional<Taken>> outcome(long messageId) {
		return handled.computeIfAbsent(messageId, id -> new CompletableFuture<>());
	}

	/**
	 * Waits until the bot has dealt with a message: how the intake took it (and so
	 * whether anything will answer it), or empty when the bot left it alone.
	 */
	static Optional<Taken> awaitHandled(FakeDiscord.FakeMessage message) {
		try {
			return outcome(message.id).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException timeout) {
			throw new AssertionError("message " + message.id + " was not handled in " + WAIT);
		}
		catch (InterruptedException | ExecutionException failed) {
			throw new AssertionError(failed);
		}
	}

	/**
	 * Waits until the bot has taken a message in with nothing to answer it: no reply, no
	 * model turn.
	 */
	static void awaitTakenInUnanswered(FakeDiscord.FakeMessage message) {
		assertThat(awaitHandled(message)).as("how message %s was taken in", message.id)
			.get()
			.isInstanceOfSatisfying(Taken.Accepted.class, accepted -> {
				assertThat(accepted.delivery()).as("what answers it").isNull();
				assertThat(accepted.received()).isInstanceOf(Received.Replied.class);
			});
	}

	@AfterEach
	void resetModel() {
		openai.reset();
	}

	/** A new person on the fake Discord. */
	FakeDiscord.User person(String name) {
		return discord.user(name + people.incrementAndGet());
	}

	/** The Switchboard user behind a Discord person (after their first contact). */
	User userOf(FakeDiscord.User person) {
		return conversations.findUser(new PlatformUserId("discord", Long.toString(person.id())))
			.orElseThrow(() -> new AssertionError(person.name() + " is not known yet"));
	}

	List<Session> sessionsOf(FakeDiscord.User person) {
		User user = userOf(person);
		return conversations.ownAndPublicSessions(user.id(), 1000, 0)
			.stream()
			.filter(session -> session.isOwnedBy(user.id()))
			.toList();
	}

	/** Writes in #general and waits for the complete answer (👌). */
	FakeDiscord.FakeMessage ask(FakeDiscord.User person, String text) {
		return awaitAnswered(discord.say(person, FakeDiscord.CHANNEL_ID, text));
	}

	/** Writes in the person's DM and waits for the complete answer (👌). */
	FakeDiscord.FakeMessage askInDm(FakeDiscord.User person, String text) {
		return awaitAnswered(discord.sayInDm(person, text));
	}

	static FakeDiscord.FakeMessage awaitAnswered(FakeDiscord.FakeMessage question) {
		FakeDiscord.waitFor(WAIT, () -> question.reactions().contains("👌"),
				"the answer to \"" + question.content() + "\"");
		return question;
	}

	/** The bot's reply to a message, once there is one. */
	static FakeDiscord.FakeMessage replyTo(FakeDiscord.FakeMessage question) {
		FakeDiscord.waitFor(WAIT, () -> !discord.repliesTo(question).isEmpty(), "a reply to " + question.id);
		return discord.repliesTo(question).getFirst();
	}

	/** Runs a slash command and waits for its private answer. */
	FakeDiscord.FakeMessage slash(FakeDiscord.User person, long channel, String name,
			java.util.Map<String, Object> options) {
		FakeDiscord.Interaction interaction = discord.slash(person, channel, name, options);
		FakeDiscord.FakeMessage answer = interaction.awaitOriginal(WAIT);
		assertThat(answer.ephemeral()).as("the answer to /" + name + " is private").isTrue();
		return answer;
	}

	/** Waits until a message's content changes from what it was and returns it. */
	static String awaitEdit(FakeDiscord.FakeMessage message, int editsBefore) {
		FakeDiscord.waitFor(WAIT, () -> message.history().size() > editsBefore, "an edit of message " + message.id);
		return message.content();
	}

	/** The model requests that carried a text, so a test can tell none was made. */
	static long modelRequestsMentioning(String text) {
		return openai.requests().stream().filter(request -> request.bodyText().contains(text)).count();
	}

}
