package io.switchboard.channel.slack;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channel.Intake;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.fakes.FakeSlack;
import io.switchboard.fakes.Json;
import io.switchboard.storage.Images;
import io.switchboard.testsupport.IntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Slack channel over the HTTP Events API, against a fake Slack (Web API, private
 * files, response URLs, and Slack's signed requests to us) and a fake OpenAI server.
 */
@IntegrationTest
class SlackChannelTest {

	static final FakeSlack slack = new FakeSlack().user("UADA", "Ada").user("UBOB", "Bob");

	static final FakeOpenAi openai = FakeOpenAi.start();

	static final AtomicInteger ts = new AtomicInteger();

	@DynamicPropertySource
	static void fakes(DynamicPropertyRegistry registry) {
		registry.add("switchboard.slack.bot-token", () -> FakeSlack.BOT_TOKEN);
		registry.add("switchboard.slack.signing-secret", () -> FakeSlack.SIGNING_SECRET);
		registry.add("switchboard.slack.api-url", () -> slack.apiUrl().toString());
		registry.add("switchboard.slack.update-interval", () -> "300ms");
		registry.add("switchboard.slack.channels.CQUIET.respond", () -> "mentions");
		registry.add("switchboard.slack.channels.COFF.respond", () -> "off");
		registry.add("switchboard.image.demo.duration", () -> "600ms");
		registry.add("db-scheduler.polling-interval", () -> "100ms");
		registry.add("switchboard.llm.providers.fake-openai.type", () -> "openai");
		registry.add("switchboard.llm.providers.fake-openai.base-url", () -> openai.baseUrl().toString());
		registry.add("switchboard.llm.models.gpt-test.provider", () -> "fake-openai");
		registry.add("switchboard.llm.models.gpt-test.upstream-model", () -> "gpt-4o-mini");
		registry.add("switchboard.llm.models.gpt-test.context-window", () -> "32000");
		registry.add("switchboard.llm.models.gpt-test.vision", () -> "true");
		registry.add("switchboard.llm.models.gpt-other.provider", () -> "fake-openai");
		registry.add("switchboard.llm.models.gpt-other.upstream-model", () -> "gpt-4o");
		registry.add("switchboard.comic.run-poll-interval", () -> "200ms");
	}

	@AfterAll
	static void stopFakes() {
		slack.close();
		openai.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	Intake intake;

	@Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	@Autowired
	Conversations conversations;

	@Autowired
	io.switchboard.comic.Comics comics;

	@Autowired
	io.switchboard.media.MediaStore media;

	@BeforeEach
	void reset() {
		openai.reset();
	}

	URI events() {
		return URI.create("http://127.0.0.1:" + port + "/slack/events");
	}

	static String nextTs() {
		return "1800000000." + String.format("%06d", ts.incrementAndGet());
	}

	static String eventId() {
		return "Ev" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
	}

	/** Posts a person's message and returns its ts. */
	String say(String channel, String user, String text, String threadTs) {
		String at = nextTs();
		FakeSlack.Delivery delivery = slack.deliverEvent(events(), eventId(),
				FakeSlack.message(channel, channel.startsWith("D") ? "im" : "channel", user, text, at, threadTs), null);
		assertThat(delivery.status()).isEqualTo(200);
		return at;
	}

	FakeSlack.Message awaitAnswer(String channel, String threadTs, String containing) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> slack.thread(channel, threadTs).stream().anyMatch(m -> m.text().contains(containing)));
		return slack.thread(channel, threadTs)
			.stream()
			.filter(m -> m.text().contains(containing))
			.findFirst()
			.orElseThrow();
	}

	String lastUserPrompt() {
		JsonNode messages = openai.lastRequestJson().path("messages");
		return Json.write(messages);
	}

	@Test
	void aQuestionInAChannelIsAnsweredInAThreadUnderIt() {
		String question = say("CGENERAL", "UADA", "What is a thread?", null);

		FakeSlack.Message answer = awaitAnswer("CGENERAL", question, "Echo: What is a thread?");
		assertThat(answer.threadTs()).isEqualTo(question);
		assertThat(answer.versions().getFirst().text()).isEqualTo(SlackLiveAnswer.THINKING);
		// the person became a user under their Slack name (asked of Slack after the event
		// was taken in, so that its acknowledgement does not wait for it)
		await().untilAsserted(() -> assertThat(conversations.findUser(new PlatformUserId("slack", "UADA")))
			.hasValueSatisfying(user -> assertThat(user.displayName()).isEqualTo("Ada")));
	}

	@Test
	void aFollowUpInTheThreadContinuesItsSessionAndAnotherThreadDoesNotSeeIt() {
		String first = say("CGENERAL", "UADA", "My favourite fruit is the mango.", null);
		awaitAnswer("CGENERAL", first, "Echo: My favourite fruit is the mango.");

		say("CGENERAL", "UADA", "Which fruit do I like?", first);
		awaitAnswer("CGENERAL", first, "Echo: Which fruit do I like?");
		assertThat(lastUserPrompt()).contains("mango");

		String second = say("CGENERAL", "UADA", "Which fruit do I like, again?", null);
		awaitAnswer("CGENERAL", second, "Echo: Which fruit do I like, again?");
		assertThat(lastUserPrompt()).doesNotContain("mango");

		// someone else in the first thread shares its (public) session
		say("CGENERAL", "UBOB", "And what about me?", first);
		awaitAnswer("CGENERAL", first, "Echo: And what about me?");
		assertThat(lastUserPrompt()).contains("mango");
	}

	@Test
	void theAnswerStreamsIntoThePlaceholderAtASteadyPaceAsSlackMrkdwn() {
		openai.replyInPieces("**Streams**", " arrive", " one", " by", " one", " and", " the", " message", " grows",
				" with", " them.");
		openai.pieceDelay(Duration.ofMillis(150));
		String question = say("CGENERAL", "UADA", "Stream something", null);

		FakeSlack.Message answer = awaitAnswer("CGENERAL", question, "grows with them.");
		List<String> texts = answer.versions().stream().map(FakeSlack.Version::text).toList();
		assertThat(texts.getFirst()).isEqualTo(SlackLiveAnswer.THINKING);
		assertThat(texts.getLast()).isEqualTo("*Streams* arrive one by one and the message grows with them.");
		// updated while the answer was still being written, each time with more of it
		assertThat(texts.size()).isGreaterThanOrEqualTo(4);
		for (int i = 2; i < texts.size(); i++) {
			assertThat(texts.get(i).length()).isGreaterThanOrEqualTo(texts.get(i - 1).length());
		}
		// never faster than the configured pace (the final update comes when the answer
		// is complete)
		List<FakeSlack.Version> versions = answer.versions();
		for (int i = 2; i < versions.size() - 1; i++) {
			long gap = versions.get(i).atNanos() - versions.get(i - 1).atNanos();
			assertThat(Duration.ofNanos(gap)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
		}
	}

	@Test
	void aLongAnswerContinuesInFurtherReplies() {
		StringBuilder longAnswer = new StringBuilder();
		for (int i = 0; i < 200; i++) {
			longAnswer.append("Line ").append(i).append(" of a long answer that goes on and on.\n\n");
		}
		openai.reply(longAnswer.toString());
		String question = say("CGENERAL", "UADA", "Write a lot", null);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> slack.thread("CGENERAL", question)
				.stream()
				.anyMatch(m -> m.text().contains("Line 199 of a long answer")));
		List<FakeSlack.Message> replies = slack.thread("CGENERAL", question);
		assertThat(replies).hasSizeGreaterThanOrEqualTo(3);
		assertThat(replies).allSatisfy(reply -> assertThat(reply.text().length()).isLessThanOrEqualTo(3500));
		assertThat(replies.getFirst().text()).startsWith("Line 0 of a long answer");
	}

	@Test
	void aRetriedEventIsAnsweredOnceAndSoIsAMentionOfTheSameMessage() {
		String at = nextTs();
		String id = eventId();
		JsonNode event = FakeSlack.message("CGENERAL", "channel", "UADA",
				"<@" + FakeSlack.BOT_USER + "> Only once, please", at, null);
		assertThat(slack.deliverEvent(events(), id, event, null).status()).isEqualTo(200);
		assertThat(slack.deliverEvent(events(), id, event, 1).status()).isEqualTo(200);
		assertThat(slack.deliverEvent(events(), id, event, 2).status()).isEqualTo(200);
		assertThat(
				slack
					.deliverEvent(events(), eventId(),
							FakeSlack.mention("CGENERAL", "UADA", "<@" + FakeSlack.BOT_USER + "> Only once, please", at,
									null),
							null)
					.status())
			.isEqualTo(200);
		assertThat(intake.seen("slack", "msg:CGENERAL:" + at)).isTrue();

		awaitAnswer("CGENERAL", at, "Echo: Only once, please");
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
		assertThat(slack.thread("CGENERAL", at)).hasSize(1);
		assertThat(openai.requests()).hasSize(1);
	}

	@Test
	void aBadSignatureOrAStaleTimestampIsRefusedWithNothingStored() {
		String at = nextTs();
		String id = eventId();
		String body = Json.write(
				slack.eventCallback(id, FakeSlack.message("CGENERAL", "channel", "UADA", "Forged question", at, null)));
		long now = Instant.now().getEpochSecond();

		FakeSlack.Delivery forged = slack.deliverSigned(events(), "application/json", body, now, "not-the-secret",
				Map.of());
		assertThat(forged.status()).isEqualTo(401);
		FakeSlack.Delivery stale = slack.deliverSigned(events(), "application/json", body, now - 6 * 60,
				FakeSlack.SIGNING_SECRET, Map.of());
		assertThat(stale.status()).isEqualTo(401);

		assertThat(intake.seen("slack", "msg:CGENERAL:" + at)).isFalse();
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> true);
		assertThat(slack.thread("CGENERAL", at)).isEmpty();
		assertThat(openai.requests()).isEmpty();
	}

	@Test
	void theUrlVerificationChallengeIsAnswered() {
		FakeSlack.Delivery answer = slack.deliver(events(), "application/json",
				"{\"token\":\"legacy\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\","
						+ "\"type\":\"url_verification\"}",
				Map.of());
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.body()).isEqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
	}

	@Test
	void theBotsOwnMessagesAndOtherBotsAreNotAnswered() {
		String own = say("CGENERAL", FakeSlack.BOT_USER, "I am the bot", null);
		String at = nextTs();
		slack.deliverEvent(events(), eventId(),
				FakeSlack.message("CGENERAL", "channel", "UOTHERBOT", "beep", at, null)
					.put("subtype", "bot_message")
					.put("bot_id", "BOTHER"),
				null);
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> true);
		assertThat(slack.thread("CGENERAL", own)).isEmpty();
		assertThat(slack.thread("CGENERAL", at)).isEmpty();
		assertThat(openai.requests()).isEmpty();
	}

	@Test
	void aChannelOnMentionsAnswersOnlyMentionsAndThenItsThreads() {
		String plain = say("CQUIET", "UADA", "Nobody asked you", null);
		String called = say("CQUIET", "UADA", "<@" + FakeSlack.BOT_USER + "> what is 2 + 2?", null);
		awaitAnswer("CQUIET", called, "Echo: what is 2 + 2?");
		say("CQUIET", "UADA", "and 3 + 3?", called);
		awaitAnswer("CQUIET", called, "Echo: and 3 + 3?");
		assertThat(slack.thread("CQUIET", plain)).isEmpty();

		String off = say("COFF", "UADA", "<@" + FakeSlack.BOT_USER + "> hello?", null);
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> true);
		assertThat(slack.thread("COFF", off)).isEmpty();
	}

	@Test
	void aDirectMessageIsAnsweredInItsOwnThreadAsAPrivateSession() {
		String first = say("DADA", "UADA", "Hello in private", null);
		awaitAnswer("DADA", first, "Echo: Hello in private");
		say("DADA", "UADA", "Still here?", first);
		awaitAnswer("DADA", first, "Echo: Still here?");
		assertThat(lastUserPrompt()).contains("Hello in private");
		String second = say("DADA", "UADA", "A new thread", null);
		awaitAnswer("DADA", second, "Echo: A new thread");
		assertThat(lastUserPrompt()).doesNotContain("Hello in private");

		User ada = conversations.findUser(new PlatformUserId("slack", "UADA")).orElseThrow();
		assertThat(conversations.sessionsFor(ada, 50, 0)).anySatisfy(session -> {
			assertThat(session.title()).isEqualTo("Hello in private");
			assertThat(session.isPublic()).isFalse();
		});
	}

	@Test
	void anImageSharedWithAQuestionReachesTheModelAsImageAndText() throws Exception {
		byte[] png = Images.png(64, 48);
		slack.privateFile("FCAT", "cat.png", "image/png", png);
		String at = nextTs();
		slack.deliverEvent(events(), eventId(),
				slack.messageWithFiles("CGENERAL", "UADA", "What is in it?", at, "FCAT"), null);

		awaitAnswer("CGENERAL", at, "Echo: What is in it?");
		List<FakeOpenAi.Image> images = openai.images(openai.lastRequestJson());
		assertThat(images).hasSize(1);
		assertThat(images.getFirst().mimeType()).isEqualTo("image/png");
		assertThat(images.getFirst().data()).isEqualTo(png);
		assertThat(slack.requests()).anySatisfy(request -> assertThat(request.path()).startsWith("/files-pri/")
			.satisfies(path -> assertThat(request.header("Authorization")).isEqualTo("Bearer " + FakeSlack.BOT_TOKEN)));
	}

	@Test
	void aFileThatIsNotAnImageIsRefusedWithoutCallingTheModel() {
		slack.privateFile("FPDF", "report.pdf", "application/pdf", "%PDF-1.4 not an image".getBytes());
		String at = nextTs();
		slack.deliverEvent(events(), eventId(),
				slack.messageWithFiles("CGENERAL", "UADA", "Summarise this", at, "FPDF"), null);
		FakeSlack.Message refusal = awaitAnswer("CGENERAL", at, "report.pdf");
		assertThat(refusal.text()).contains("only read images").contains("Nothing was sent");
		assertThat(openai.requests()).isEmpty();
	}

	@Test
	void theSlashCommandRunsACommandAndAnswersOnlyItsUser() {
		// other tests' slash commands may have been answered before
		int before = slack.responses().size();
		FakeSlack.Delivery help = slack.deliverCommand(events(), "/switchboard", "", "UADA", "CGENERAL");
		assertThat(help.status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(20)).until(() -> slack.responses().size() == before + 1);
		JsonNode helpReply = slack.responses().get(before);
		assertThat(helpReply.path("response_type").asText()).isEqualTo("ephemeral");
		assertThat(helpReply.path("text").asText()).contains("*Commands*").contains("`/session new [title]`");

		// its buttons send their command back, answered the same way
		slack.deliverInteraction(events(),
				slack.ephemeralButtonPress("UADA", "CGENERAL", helpReply.path("blocks"), "cmd-2"));
		await().atMost(Duration.ofSeconds(20)).until(() -> slack.responses().size() == before + 2);
		assertThat(slack.responses().get(before + 1).path("text").asText()).contains("*Models*").contains("gpt-other");

		slack.deliverCommand(events(), "/switchboard", "user maxtokens 500", "UADA", "CGENERAL");
		await().atMost(Duration.ofSeconds(20)).until(() -> slack.responses().size() == before + 3);
		assertThat(slack.responses().get(before + 2).path("text").asText()).isEqualTo("Longest answer: 500 tokens.");
		assertThat(conversations.findUser(new PlatformUserId("slack", "UADA")).orElseThrow().maxOutputTokens())
			.isEqualTo(500);
		conversations.setMaxOutputTokens(conversations.findUser(new PlatformUserId("slack", "UADA")).orElseThrow().id(),
				null);
	}

	@Test
	void commandsWorkAsMessagesInAThreadAndItsButtonsSendThemBack() {
		String thread = say("CGENERAL", "UBOB", "Remember the word kumquat.", null);
		awaitAnswer("CGENERAL", thread, "Echo: Remember the word kumquat.");

		say("CGENERAL", "UBOB", "<@" + FakeSlack.BOT_USER + "> /session info", thread);
		FakeSlack.Message info = awaitAnswer("CGENERAL", thread, "Remember the word kumquat.\"");
		assertThat(info.text()).contains("*Session #");
		assertThat(Json.write(info.blocks())).contains("New topic");

		slack.deliverInteraction(events(), slack.buttonPress("UBOB", info, buttonFor(info, "New topic")));
		awaitAnswer("CGENERAL", thread, "New topic in session");

		say("CGENERAL", "UBOB", "Which word?", thread);
		awaitAnswer("CGENERAL", thread, "Echo: Which word?");
		assertThat(lastUserPrompt()).doesNotContain("kumquat");
	}

	static String buttonFor(FakeSlack.Message message, String label) {
		for (JsonNode block : message.blocks()) {
			for (JsonNode element : block.path("elements")) {
				if (label.equals(element.path("text").path("text").asText())) {
					return element.path("action_id").asText();
				}
			}
		}
		throw new AssertionError("no button " + label + " in " + message.blocks());
	}

	@Test
	void theAppHomeShowsAndChangesTheModelAndSystemPrompt() {
		JsonNode opened = Json.read("{\"type\":\"app_home_opened\",\"user\":\"UCAROL\",\"channel\":\"DCAROL\","
				+ "\"tab\":\"home\",\"event_ts\":\"" + nextTs() + "\"}");
		assertThat(slack.deliverEvent(events(), eventId(), opened, null).status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(20)).until(() -> homeOf("UCAROL") != null);
		JsonNode home = homeOf("UCAROL");
		assertThat(Json.write(home)).contains("gpt-test").contains("gpt-other").contains("_none_");

		slack.deliverInteraction(events(), slack.homeSelect("UCAROL", home, SlackHome.MODEL_ACTION, "gpt-other"));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> "gpt-other".equals(carol().defaultModel()) && viewsOf("UCAROL").size() == 2);
		assertThat(homeOf("UCAROL").path("blocks").toString()).contains("\"initial_option\":{\"text\":{\"type\":"
				+ "\"plain_text\",\"text\":\"gpt-other\",\"emoji\":true},\"value\":\"gpt-other\"}");

		// the system prompt is edited in a modal
		slack.deliverInteraction(events(), slack.homeButton("UCAROL", homeOf("UCAROL"), SlackHome.EDIT_SYSTEM_ACTION));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> slack.views().stream().anyMatch(v -> "views.open".equals(v.path("fake_method").asText())));
		JsonNode modal = slack.views()
			.stream()
			.filter(v -> "views.open".equals(v.path("fake_method").asText()))
			.findFirst()
			.orElseThrow();
		assertThat(modal.path("callback_id").asText()).isEqualTo(SlackHome.SYSTEM_VIEW);

		FakeSlack.Delivery tooLong = slack.deliverInteraction(events(), slack.viewSubmission("UCAROL", modal,
				SlackHome.SYSTEM_BLOCK, SlackHome.SYSTEM_INPUT, "x".repeat(SlackHome.SYSTEM_MAX + 1)));
		assertThat(tooLong.status()).isEqualTo(200);
		assertThat(Json.read(tooLong.body()).path("response_action").asText()).isEqualTo("errors");
		assertThat(carol().defaultSystemPrompt()).isNull();

		FakeSlack.Delivery saved = slack.deliverInteraction(events(), slack.viewSubmission("UCAROL", modal,
				SlackHome.SYSTEM_BLOCK, SlackHome.SYSTEM_INPUT, "Answer like a pirate."));
		assertThat(saved.status()).isEqualTo(200);
		assertThat(carol().defaultSystemPrompt()).isEqualTo("Answer like a pirate.");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> homeOf("UCAROL").toString().contains("Answer like a pirate."));

		// new sessions get both
		String question = say("CGENERAL", "UCAROL", "Ahoy?", null);
		awaitAnswer("CGENERAL", question, "Echo: Ahoy?");
		assertThat(openai.lastRequestJson().path("model").asText()).isEqualTo("gpt-4o");
		assertThat(openai.systemPrompt(openai.lastRequestJson())).isEqualTo("Answer like a pirate.");
	}

	User carol() {
		return conversations.findUser(new PlatformUserId("slack", "UCAROL")).orElseThrow();
	}

	List<JsonNode> viewsOf(String user) {
		return slack.views().stream().filter(view -> user.equals(view.path("fake_user_id").asText())).toList();
	}

	JsonNode homeOf(String user) {
		List<JsonNode> views = viewsOf(user);
		return views.isEmpty() ? null : views.getLast();
	}

	@Test
	void aRateLimitedUpdateWaitsAndTheAnswerStillArrives() {
		openai.replyInPieces("Slow", " down", " please.");
		openai.pieceDelay(Duration.ofMillis(400));
		slack.rateLimitNext("chat.update", 1);
		String question = say("CGENERAL", "UADA", "Go slowly", null);
		FakeSlack.Message answer = awaitAnswer("CGENERAL", question, "Slow down please.");
		assertThat(answer.text()).isEqualTo("Slow down please.");
	}

	@Test
	void imagineStartsAJobWhoseGridComesWithButtonsThatUpscaleVaryAndReroll() {
		FakeSlack.Delivery started = slack.deliverCommand(events(), "/imagine", "a lighthouse at dawn", "UADA", "CART");
		assertThat(started.status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> slack.responses().stream().anyMatch(r -> r.path("text").asText().contains("started")));

		// the status message in the channel shows the progress, the grid and its buttons
		// follow in its thread
		FakeSlack.Message status = awaitTopLevel("CART", "a lighthouse at dawn", "is done.");
		assertThat(status.versions().size()).isGreaterThanOrEqualTo(2);
		FakeSlack.Message grid = awaitButtons("CART", status.ts(), "U1");
		assertThat(labels(grid)).containsExactly("U1", "U2", "U3", "U4", "V1", "V2", "V3", "V4", "🔄 Reroll");
		FakeSlack.Upload gridImage = uploadsIn("CART", status.ts()).getFirst();
		assertThat(gridImage.bytes()).startsWith(new byte[] { (byte) 0x89, 'P', 'N', 'G' });
		assertThat(gridImage.initialComment()).contains("a lighthouse at dawn").contains("candidates");

		// U2 upscales candidate 2 (anyone in the channel may): the upscale comes with
		// Vary (Strong) and Vary (Subtle)
		slack.deliverInteraction(events(), slack.buttonPress("UBOB", grid, buttonFor(grid, "U2")));
		FakeSlack.Message upscale = awaitButtons("CART", status.ts(), "Vary (Strong)");
		assertThat(labels(upscale)).containsExactly("Vary (Strong)", "Vary (Subtle)");
		await().atMost(Duration.ofSeconds(10)).until(() -> uploadsIn("CART", status.ts()).size() == 2);
		assertThat(uploadsIn("CART", status.ts()).get(1).initialComment()).contains("upscale of");
		// only the presser hears that the upscale started
		assertThat(slack.responses())
			.anySatisfy(r -> assertThat(r.path("text").asText()).startsWith("🎨 Upscaling candidate 2 of image"));

		// Vary (Subtle) on the upscale and Reroll on the grid each make four new
		// candidates
		slack.deliverInteraction(events(), slack.buttonPress("UADA", upscale, buttonFor(upscale, "Vary (Subtle)")));
		slack.deliverInteraction(events(), slack.buttonPress("UADA", grid, buttonFor(grid, "🔄 Reroll")));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> slack.thread("CART", status.ts())
				.stream()
				.filter(m -> m.blocks() != null && labels(m).contains("U1"))
				.count() == 3);
		assertThat(slack.thread("CART", status.ts()))
			.anySatisfy(m -> assertThat(m.text()).contains("subtle variation of"))
			.anySatisfy(m -> assertThat(m.text()).contains("reroll of"));
	}

	@Test
	void inImageModeAMessageInAThreadBecomesAnImageJobThere() {
		slack.deliverCommand(events(), "/switchboard", "mode image", "UDAN", "CART");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> slack.responses().stream().anyMatch(r -> r.path("text").asText().startsWith("Image mode")));
		String question = say("CART", "UDAN", "a red fox in the snow", null);
		awaitAnswer("CART", question, "a red fox in the snow” is done.");
		FakeSlack.Message grid = awaitButtons("CART", question, "U4");
		assertThat(grid.threadTs()).isEqualTo(question);
		assertThat(uploadsIn("CART", question)).hasSize(1);
		assertThat(openai.requests()).isEmpty();
		slack.deliverCommand(events(), "/switchboard", "mode chat", "UDAN", "CART");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> slack.responses().stream().anyMatch(r -> r.path("text").asText().startsWith("Chat mode")));
	}

	FakeSlack.Message awaitTopLevel(String channel, String containing, String andContaining) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> slack.messages(channel)
				.stream()
				.anyMatch(m -> m.threadTs() == null && m.text().contains(containing)
						&& m.text().contains(andContaining)));
		return slack.messages(channel)
			.stream()
			.filter(m -> m.threadTs() == null && m.text().contains(containing))
			.findFirst()
			.orElseThrow();
	}

	FakeSlack.Message awaitButtons(String channel, String thread, String label) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> slack.thread(channel, thread)
				.stream()
				.anyMatch(m -> m.blocks() != null && labels(m).contains(label)));
		return slack.thread(channel, thread)
			.stream()
			.filter(m -> m.blocks() != null && labels(m).contains(label))
			.toList()
			.getLast();
	}

	List<FakeSlack.Upload> uploadsIn(String channel, String thread) {
		return slack.uploads()
			.stream()
			.filter(u -> channel.equals(u.channel()) && thread.equals(u.threadTs()))
			.toList();
	}

	static List<String> labels(FakeSlack.Message message) {
		List<String> labels = new java.util.ArrayList<>();
		for (JsonNode block : message.blocks()) {
			for (JsonNode element : block.path("elements")) {
				if ("button".equals(element.path("type").asText())) {
					labels.add(element.path("text").path("text").asText());
				}
			}
		}
		return labels;
	}

	// ------------------------------------------------------------ comics

	static final String COMIC_STORY = """
			{"title": "Nabi & the <Barista>", "panels": [
			 {"scene": "An orange cat stares at an espresso machine.", "characters": "Nabi", "dialogue": "Nabi: I will make coffee!", "caption": "Monday morning"},
			 {"scene": "Nabi spills milk over the counter.", "characters": "Nabi", "dialogue": "", "caption": "First try"},
			 {"scene": "The owner laughs and hands Nabi a tiny apron.", "characters": "Nabi, Owner", "dialogue": "Owner: Not bad!", "caption": ""},
			 {"scene": "Nabi serves a latte with a fish in the foam.", "characters": "Nabi", "dialogue": "Nabi: Meow!", "caption": "The end"}]}""";

	static final String COMIC_PROMPTS = """
			{"characterSheet": "Nabi: small orange tabby cat, blue apron. Owner: young woman, short black hair.",
			 "styleLine": "soft watercolor webtoon",
			 "panels": [
			  {"prompt": "watercolor, orange cat staring at espresso machine", "negativePrompt": "text"},
			  {"prompt": "watercolor, orange cat spilling milk", "negativePrompt": "text"},
			  {"prompt": "watercolor, woman laughing, orange cat in apron", "negativePrompt": "text"},
			  {"prompt": "watercolor, orange cat serving latte", "negativePrompt": "text"}]}""";

	static final Duration COMIC_WAIT = Duration.ofSeconds(60);

	static long startedComic(String notice) {
		java.util.regex.Matcher started = java.util.regex.Pattern.compile("Comic #(\\d+) started").matcher(notice);
		assertThat(started.find()).as("a started notice in %s", notice).isTrue();
		return Long.parseLong(started.group(1));
	}

	@Test
	void slashComicInAThreadUploadsTheStripThereWithItsTitle() {
		openai.replyNext(COMIC_STORY, COMIC_PROMPTS);

		String question = say("CGENERAL", "UADA", "/comic a cat who wants to become a barista", null);

		FakeSlack.Message started = awaitAnswer("CGENERAL", question, "The strip will follow here");
		long comic = startedComic(started.text());
		await().atMost(COMIC_WAIT).until(() -> !uploadsIn("CGENERAL", question).isEmpty());
		FakeSlack.Upload strip = uploadsIn("CGENERAL", question).getFirst();
		User ada = conversations.findUser(new PlatformUserId("slack", "UADA")).orElseThrow();
		String sha256 = comics.get(ada.id(), new io.switchboard.comic.ComicId(comic)).stripSha256();
		assertThat(strip.filename()).isEqualTo("comic-" + comic + ".png");
		assertThat(strip.bytes()).isEqualTo(media.load(sha256).orElseThrow().bytes());
		assertThat(strip.initialComment())
			.startsWith(":frame_with_picture: *Nabi &amp; the &lt;Barista&gt;* — comic #" + comic + " is ready.");
		// once: one delivery per comic
		assertThat(jdbc.sql("SELECT COUNT(*) FROM channel_deliveries WHERE dedup_key = ?")
			.param("comic:" + comic)
			.query(Integer.class)
			.single()).isEqualTo(1);
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(3))
			.until(() -> slack.uploads()
				.stream()
				.filter(u -> u.filename().equals("comic-" + comic + ".png"))
				.count() == 1);
	}

	@Test
	void aComicFromTheSlashCommandThatCannotBeMadeIsToldInItsChannel() {
		// the model answers no JSON, twice
		openai.replyNext("Sorry, no comic today.", "Still no comic.");

		slack.deliverCommand(events(), "/switchboard", "comic a dragon's day off", "UBOB", "CART");

		await().atMost(Duration.ofSeconds(20))
			.until(() -> slack.responses()
				.stream()
				.anyMatch(r -> r.path("text").asText().contains("a dragon's day off")));
		String notice = slack.responses()
			.stream()
			.map(r -> r.path("text").asText())
			.filter(text -> text.contains("a dragon's day off"))
			.findFirst()
			.orElseThrow();
		long comic = startedComic(notice);
		FakeSlack.Message failed = awaitTopLevel("CART", "Comic #" + comic + " could not be made", "twice in a row");
		assertThat(failed.text()).startsWith(":warning: Comic #" + comic + " could not be made: ");
		assertThat(slack.uploads()).noneMatch(u -> u.filename().equals("comic-" + comic + ".png"));
	}

}
