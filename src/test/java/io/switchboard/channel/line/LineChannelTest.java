package io.switchboard.channel.line;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.channel.Intake;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.fakes.FakeLine;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.fakes.Json;
import io.switchboard.storage.Images;
import io.switchboard.testsupport.IntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The LINE bot end to end: signed webhook bodies from the fake LINE platform, handled in
 * the background through the real LINE SDK against the fake Messaging API, answered by
 * the fake OpenAI server.
 */
@IntegrationTest
class LineChannelTest {

	static final FakeLine line = FakeLine.start("line-channel-secret", "line-access-token");

	static final FakeOpenAi openai = FakeOpenAi.start("sk-line-test");

	static final Duration WAIT = Duration.ofSeconds(20);

	@DynamicPropertySource
	static void fakes(DynamicPropertyRegistry registry) {
		registry.add("switchboard.line.channel-secret", line::channelSecret);
		registry.add("switchboard.line.channel-access-token", line::accessToken);
		registry.add("switchboard.line.api-base-url", () -> line.uri().toString());
		registry.add("switchboard.line.data-api-base-url", () -> line.uri().toString());
		registry.add("switchboard.line.max-body-size", () -> "64KB");
		registry.add("switchboard.media.public-base-url", () -> "https://bot.example.com");
		registry.add("switchboard.llm.providers.fake-openai.type", () -> "openai");
		registry.add("switchboard.llm.providers.fake-openai.base-url", () -> openai.baseUrl().toString());
		registry.add("switchboard.llm.providers.fake-openai.api-key", openai::apiKey);
		registry.add("switchboard.llm.default-model", () -> "gpt-vision");
		registry.add("switchboard.llm.models.gpt-vision.provider", () -> "fake-openai");
		registry.add("switchboard.llm.models.gpt-vision.upstream-model", () -> "gpt-4o-mini");
		registry.add("switchboard.llm.models.gpt-vision.context-window", () -> "32000");
		registry.add("switchboard.llm.models.gpt-vision.max-output-tokens", () -> "8000");
		registry.add("switchboard.llm.models.gpt-vision.vision", () -> "true");
		registry.add("switchboard.llm.models.gpt-text.provider", () -> "fake-openai");
		registry.add("switchboard.llm.models.gpt-text.upstream-model", () -> "gpt-3.5-turbo");
		registry.add("switchboard.llm.models.gpt-text.context-window", () -> "16000");
		// two demo image providers: a quick one, and one that always runs out of time
		registry.add("db-scheduler.polling-interval", () -> "100ms");
		registry.add("switchboard.image.demo.duration", () -> "1500ms");
		registry.add("switchboard.image.default-provider", () -> "demo");
		registry.add("switchboard.image.providers.demo.type", () -> "demo");
		registry.add("switchboard.image.providers.demo.poll-interval", () -> "200ms");
		registry.add("switchboard.image.providers.slow.type", () -> "demo");
		registry.add("switchboard.image.providers.slow.timeout", () -> "300ms");
		registry.add("switchboard.image.providers.slow.poll-interval", () -> "200ms");
		registry.add("switchboard.comic.run-poll-interval", () -> "200ms");
		// gpt-text's budget is passed in a few long turns: compaction, proposing facts
		registry.add("switchboard.llm.models.gpt-text.context-budget", () -> "1500");
		registry.add("switchboard.memory.suggest", () -> "true");
		registry.add("switchboard.assistant.compaction.summary-max-tokens", () -> "100");
	}

	@AfterAll
	static void stop() {
		line.close();
		openai.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	Intake intake;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Conversations conversations;

	@Autowired
	org.springframework.context.ApplicationEventPublisher events;

	@Autowired
	LineImages images;

	@Autowired
	io.switchboard.media.MediaStore media;

	@Autowired
	io.switchboard.comic.Comics comics;

	@BeforeEach
	void fresh() {
		line.reset();
		openai.reset();
	}

	URI webhook() {
		return URI.create("http://127.0.0.1:" + port + "/line/webhook");
	}

	static String newUser() {
		return "U" + UUID.randomUUID().toString().replace("-", "");
	}

	HttpResponse<String> deliver(JsonNode... events) {
		return line.deliver(webhook(), FakeLine.body(events));
	}

	List<FakeLine.Sent> awaitSent(String chatId, int count) {
		await().atMost(WAIT).until(() -> line.sentTo(chatId).size() >= count);
		return line.sentTo(chatId);
	}

	int storedEvents() {
		return jdbc.sql("SELECT COUNT(*) FROM inbound_events WHERE platform = 'line'").query(Integer.class).single();
	}

	@Test
	void aSignedTextIsAnsweredByTheModelByReplyWhileTheLoadingAnimationShows() {
		String user = newUser();
		line.profile(user, "Mei");
		ObjectNode event = line.text(FakeLine.user(user), "What is the capital of Taiwan?");

		HttpResponse<String> response = deliver(event);

		assertThat(response.statusCode()).isEqualTo(200);
		FakeLine.Sent answer = awaitSent(user, 1).getFirst();
		assertThat(answer.how()).isEqualTo("reply");
		assertThat(answer.replyToken()).isEqualTo(event.path("replyToken").asText());
		assertThat(answer.texts()).containsExactly("Echo: What is the capital of Taiwan?");
		assertThat(answer.quickReplyData()).contains("/new", "/mode image", "/models");
		assertThat(line.requestsTo("/v2/bot/chat/loading/start")).isNotEmpty()
			.allSatisfy(loading -> assertThat(loading.json().path("chatId").asText()).isEqualTo(user));
		// the name comes from LINE's profile, looked up off the webhook's thread
		await().atMost(WAIT)
			.until(() -> conversations.findUser(new PlatformUserId("line", user))
				.map(found -> found.displayName().equals("Mei"))
				.orElse(false));
		assertThat(openai.requests()).hasSize(1);
	}

	@Test
	void aRedeliveredEventGetsNothingNew() {
		String user = newUser();
		ObjectNode event = line.text(FakeLine.user(user), "Only once, please");
		deliver(event);
		awaitSent(user, 1);

		event.withObject("deliveryContext").put("isRedelivery", true);
		HttpResponse<String> again = deliver(event);

		assertThat(again.statusCode()).isEqualTo(200);
		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(5))
			.until(() -> line.sentTo(user).size() == 1 && openai.requests().size() == 1);
	}

	@Test
	void aWrongOrMissingSignatureIsRefusedAndNothingIsStored() {
		String user = newUser();
		ObjectNode event = line.text(FakeLine.user(user), "let me in");
		String body = FakeLine.body(event);
		int before = storedEvents();

		HttpResponse<String> unsigned = line.post(webhook(), body, null);
		HttpResponse<String> forged = line.post(webhook(), body,
				FakeLine.start("another-secret", "x").sign(body.getBytes()));
		HttpResponse<String> garbage = line.post(webhook(), body, "not base64 at all!");

		assertThat(unsigned.statusCode()).isEqualTo(401);
		assertThat(forged.statusCode()).isEqualTo(401);
		assertThat(garbage.statusCode()).isEqualTo(401);
		assertThat(storedEvents()).isEqualTo(before);
		assertThat(intake.seen("line", event.path("webhookEventId").asText())).isFalse();
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> line.sent().isEmpty());
		assertThat(openai.requests()).isEmpty();
	}

	@Test
	void malformedAndOversizeBodiesAreRefusedAndNothingIsStored() {
		int before = storedEvents();
		String notJson = "{\"events\": [";
		String noEvents = "{\"destination\":\"U1\"}";
		String noId = FakeLine.body(Json.object().put("type", "message"));
		ObjectNode valid = line.text(FakeLine.user(newUser()), "fine");
		ObjectNode broken = line.text(FakeLine.user(newUser()), "broken");
		broken.remove("webhookEventId");
		String halfBroken = FakeLine.body(valid, broken);
		String huge = FakeLine.body(line.text(FakeLine.user(newUser()), "x".repeat(70_000)));

		for (String body : List.of(notJson, noEvents, noId, halfBroken)) {
			assertThat(line.deliver(webhook(), body).statusCode()).as(body).isEqualTo(400);
		}
		assertThat(line.deliver(webhook(), huge).statusCode()).isEqualTo(413);
		assertThat(storedEvents()).isEqualTo(before);
		assertThat(intake.seen("line", valid.path("webhookEventId").asText())).isFalse();
	}

	@Test
	void lineVerifyingTheWebhookWithNoEventsGetsOk() {
		assertThat(line.deliver(webhook(), FakeLine.body()).statusCode()).isEqualTo(200);
	}

	@Test
	void aPhotoThenAQuestionReachTheModelAsImageAndText() throws Exception {
		String user = newUser();
		byte[] photo = Images.png(64, 48);

		deliver(line.image(FakeLine.user(user), photo));
		FakeLine.Sent received = awaitSent(user, 1).getFirst();
		assertThat(received.texts()).containsExactly("Photo received, what would you like to know?");
		assertThat(openai.requests()).isEmpty();

		deliver(line.text(FakeLine.user(user), "What colour is the corner?"));
		awaitSent(user, 2);

		JsonNode request = openai.lastRequestJson();
		List<io.switchboard.fakes.FakeChatServer.Image> images = openai.images(request);
		assertThat(images).singleElement().satisfies(image -> {
			assertThat(image.mimeType()).isEqualTo("image/png");
			assertThat(image.data()).isEqualTo(photo);
		});
		assertThat(openai.lastRequestJson().toString()).contains("What colour is the corner?");
		assertThat(line.sentTo(user).get(1).texts()).containsExactly("Echo: What colour is the corner?");

		// the photo went with that question (and stays in its history): the next
		// question is text only
		deliver(line.text(FakeLine.user(user), "And now?"));
		awaitSent(user, 3);
		JsonNode messages = openai.lastRequestJson().path("messages");
		assertThat(openai.images(openai.lastRequestJson())).hasSize(1);
		assertThat(messages.get(messages.size() - 1).toString()).contains("And now?").doesNotContain("image_url");
	}

	@Test
	void aPhotoForAModelWithoutVisionGetsAClearRefusal() throws Exception {
		String user = newUser();
		deliver(line.text(FakeLine.user(user), "/user model gpt-text"));
		awaitSent(user, 1);
		deliver(line.image(FakeLine.user(user), Images.png(10, 10)));
		awaitSent(user, 2);

		deliver(line.text(FakeLine.user(user), "What is this?"));

		FakeLine.Sent refusal = awaitSent(user, 3).get(2);
		assertThat(String.join("\n", refusal.texts())).contains("gpt-text cannot read images")
			.contains("gpt-vision")
			.contains("send it again");
		assertThat(openai.requests()).isEmpty();
	}

	@Test
	void whatIsNotAPhotoIsRefusedWithItsReason() {
		String user = newUser();
		deliver(line.image(FakeLine.user(user), "not an image".getBytes()));
		assertThat(awaitSent(user, 1).getFirst().texts().getFirst()).startsWith("I could not take that photo")
			.contains("not an image");
	}

	@Test
	void aPhotoLineNoLongerHasIsExplained() {
		String user = newUser();
		ObjectNode event = line.image(FakeLine.user(user), new byte[] { 1 });
		line.forgetContent(event.path("message").path("id").asText());

		deliver(event);

		assertThat(awaitSent(user, 1).getFirst().texts().getFirst()).contains("no longer has it");
	}

	@Test
	void anExpiredReplyTokenFallsBackToPushWithARetryKey() {
		String user = newUser();
		ObjectNode event = line.text(FakeLine.user(user), "Slow question");
		line.expire(event.path("replyToken").asText());

		deliver(event);

		FakeLine.Sent pushed = awaitSent(user, 1).getFirst();
		assertThat(pushed.how()).isEqualTo("push");
		assertThat(pushed.to()).isEqualTo(user);
		assertThat(pushed.retryKey()).isNotNull();
		assertThat(pushed.texts()).containsExactly("Echo: Slow question");
		// LINE was asked to reply first, and refused with its real error
		assertThat(line.requestsTo("/v2/bot/message/reply")).hasSize(1);
	}

	@Test
	void anEventOlderThanItsReplyTokenIsAnsweredByPushWithoutTryingTheToken() {
		String user = newUser();
		ObjectNode event = line.message(FakeLine.user(user), Json.object().put("type", "text").put("text", "Late"),
				Instant.now().minus(Duration.ofMinutes(2)));

		deliver(event);

		assertThat(awaitSent(user, 1).getFirst().how()).isEqualTo("push");
		assertThat(line.requestsTo("/v2/bot/message/reply")).isEmpty();
	}

	@Test
	void aDeliverySentAgainAfterAStopNeitherAsksTheModelNorSendsTwice() {
		String user = newUser();
		ObjectNode event = line.message(FakeLine.user(user), Json.object().put("type", "text").put("text", "Twice?"),
				Instant.now().minus(Duration.ofMinutes(2)));
		deliver(event);
		awaitSent(user, 1);
		long delivery = jdbc.sql("SELECT id FROM channel_deliveries WHERE address LIKE ? AND dedup_key LIKE 'answer:%'")
			.param("%" + user + "%")
			.query(Long.class)
			.single();

		// as if the server had stopped after the push left but before it was marked sent
		jdbc.sql("UPDATE channel_deliveries SET state = 'pending', refs = NULL WHERE id = ?").param(delivery).update();

		await().atMost(WAIT)
			.until(() -> "sent".equals(jdbc.sql("SELECT state FROM channel_deliveries WHERE id = ?")
				.param(delivery)
				.query(String.class)
				.single()));
		assertThat(line.sentTo(user)).hasSize(1);
		// the second push carried the same retry key, so LINE answered 409
		assertThat(line.requestsTo("/v2/bot/message/push")
			.stream()
			.filter(request -> user.equals(request.json().path("to").asText()))).hasSize(2);
		assertThat(openai.requests()).hasSize(1);
	}

	@Test
	void aLongAnswerIsSplitAtLinesLimitsAndTheRestIsPushed() {
		String user = newUser();
		StringBuilder answer = new StringBuilder();
		for (int paragraph = 0; paragraph < 30; paragraph++) {
			answer
				.append(String.join(" ",
						java.util.Collections.nCopies(40, "Paragraph " + paragraph + " says something.")))
				.append("\n\n");
		}
		openai.reply(answer.toString());

		deliver(line.text(FakeLine.user(user), "Tell me everything"));

		await().atMost(WAIT).until(() -> line.sentTo(user).size() == 2);
		List<FakeLine.Sent> sent = line.sentTo(user);
		assertThat(sent.get(0).how()).isEqualTo("reply");
		assertThat(sent.get(0).texts()).hasSize(5);
		assertThat(sent.get(1).how()).isEqualTo("push");
		List<String> all = sent.stream().flatMap(s -> s.texts().stream()).toList();
		assertThat(all).allSatisfy(text -> assertThat(text.length()).isLessThanOrEqualTo(5000));
		assertThat(String.join("\n\n", all)).isEqualTo(answer.toString().strip());
		// the buttons go with the very last message
		assertThat(sent.get(1).quickReplyData()).contains("/new");
	}

	@Test
	void markdownBecomesReadablePlainText() {
		String user = newUser();
		openai.reply("# Tea\n\nSome **bold** tea and `code`, see [the page](https://example.com).\n\n- one\n- two");

		deliver(line.text(FakeLine.user(user), "tea?"));

		assertThat(awaitSent(user, 1).getFirst().texts())
			.containsExactly("Tea\n\nSome bold tea and code, see \"the page\" (https://example.com).\n\n- one\n- two");
	}

	@Test
	void commandsWorkAsTextAndAsQuickReplyPostbacks() {
		String user = newUser();
		deliver(line.text(FakeLine.user(user), "/help"));
		assertThat(String.join("\n", awaitSent(user, 1).getFirst().texts())).contains("/session new");

		deliver(line.text(FakeLine.user(user), "A first question"));
		awaitSent(user, 2);
		deliver(line.postback(FakeLine.user(user), "/new"));

		FakeLine.Sent newTopic = awaitSent(user, 3).get(2);
		assertThat(newTopic.how()).isEqualTo("reply");
		assertThat(newTopic.texts().getFirst()).startsWith("New topic in session");
	}

	@Test
	void replyButtonsBecomeQuickRepliesCarryingTheirCommand() {
		String user = newUser();
		deliver(line.text(FakeLine.user(user), "Hello"));
		awaitSent(user, 1);

		deliver(line.text(FakeLine.user(user), "/models"));

		List<String> data = awaitSent(user, 2).get(1).quickReplyData();
		assertThat(data).contains("/session model gpt-text", "/new", "/mode image").hasSizeLessThanOrEqualTo(13);
	}

	@Test
	void inAGroupTheBotAnswersOnlyWhenMentionedOrCommandedAndTheGroupSharesASession() {
		String group = "C" + UUID.randomUUID().toString().replace("-", "");
		String alice = newUser();
		String bob = newUser();

		deliver(line.text(FakeLine.group(group, alice), "Lunch at noon, everyone?"));
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> line.sent().isEmpty());
		assertThat(openai.requests()).isEmpty();

		deliver(line.textMentioningBot(FakeLine.group(group, alice), "Bot", "What is 2+2?"));
		FakeLine.Sent answer = awaitSent(group, 1).getFirst();
		assertThat(answer.texts()).containsExactly("Echo: What is 2+2?");
		// no loading animation in groups: LINE has it for one-to-one chats only
		assertThat(line.requestsTo("/v2/bot/chat/loading/start")).isEmpty();

		deliver(line.textMentioningBot(FakeLine.group(group, bob), "Bot", "And times 3?"));
		awaitSent(group, 2);
		// Bob continues the group's public session: Alice's question is in his context
		assertThat(openai.lastRequestJson().toString()).contains("What is 2+2?").contains("And times 3?");
		var session = conversations.findUser(new PlatformUserId("line", bob))
			.flatMap(user -> conversations.currentSession(user, LineChat.group(bob, group).place()));
		assertThat(session).hasValueSatisfying(found -> assertThat(found.isPublic()).isTrue());

		deliver(line.text(FakeLine.group(group, bob), "/help"));
		awaitSent(group, 3);
	}

	@Test
	void aFollowGetsAWelcomeAndAnUnfollowNothing() {
		String user = newUser();
		deliver(line.follow(FakeLine.user(user)));
		FakeLine.Sent welcome = awaitSent(user, 1).getFirst();
		assertThat(welcome.how()).isEqualTo("reply");
		assertThat(String.join("\n", welcome.texts())).contains("Send a photo")
			.contains("/mode image")
			.contains("/help");
		assertThat(welcome.quickReplyData()).contains("/mode image");

		HttpResponse<String> unfollow = deliver(line.unfollow(FakeLine.user(user)));
		assertThat(unfollow.statusCode()).isEqualTo(200);
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> line.sentTo(user).size() == 1);
	}

	@Test
	void aStickerGetsASensibleAnswerAndNoModelCall() {
		String user = newUser();
		deliver(line.sticker(FakeLine.user(user)));
		assertThat(awaitSent(user, 1).getFirst().texts().getFirst()).contains("sticker").contains("photo");
		assertThat(openai.requests()).isEmpty();
	}

	@Test
	void eventsOfKindsTheBotDoesNotHandleAreAcknowledged() {
		String user = newUser();
		ObjectNode video = line.message(FakeLine.user(user), Json.object().put("type", "video").put("duration", 1000),
				Instant.now());
		ObjectNode unknown = (ObjectNode) Json
			.read("{\"type\":\"somethingNew\",\"mode\":\"active\",\"timestamp\":1,\"webhookEventId\":\"01UNKNOWN"
					+ UUID.randomUUID() + "\",\"source\":{\"type\":\"user\",\"userId\":\"" + user + "\"}}");

		assertThat(deliver(video, unknown).statusCode()).isEqualTo(200);

		assertThat(awaitSent(user, 1).getFirst().texts().getFirst()).contains("cannot watch videos");
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> line.sentTo(user).size() == 1);
	}

	@Test
	void anAdminInstallsTheRichMenuAndOthersMayNot() throws Exception {
		String member = newUser();
		deliver(line.text(FakeLine.user(member), "/richmenu"));
		assertThat(awaitSent(member, 1).getFirst().texts().getFirst()).contains("Only an admin");
		assertThat(line.requestsTo("/v2/bot/richmenu")).isEmpty();

		String admin = newUser();
		deliver(line.text(FakeLine.user(admin), "/help"));
		awaitSent(admin, 1);
		conversations.setRole(conversations.findUser(new PlatformUserId("line", admin)).orElseThrow().id(),
				io.switchboard.conversation.UserRole.ADMIN);

		deliver(line.text(FakeLine.user(admin), "/richmenu"));

		assertThat(awaitSent(admin, 2).get(1).texts().getFirst()).startsWith("Installed the LINE rich menu");
		JsonNode menu = line.requestsTo("/v2/bot/richmenu").getFirst().json();
		assertThat(menu.path("size").path("width").asInt()).isEqualTo(2500);
		List<String> commands = new java.util.ArrayList<>();
		menu.path("areas").forEach(area -> commands.add(area.path("action").path("data").asText()));
		assertThat(commands).containsExactly("/mode chat", "/mode image", "/new", "/help");
		String id = line.defaultRichMenu();
		assertThat(line.richMenuImages().get(id)).startsWith("image/png");
		byte[] picture = line.requestsTo("/v2/bot/richmenu/" + id + "/content").getFirst().body();
		java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(picture));
		assertThat(image.getWidth()).isEqualTo(2500);
		assertThat(image.getHeight()).isEqualTo(843);
	}

	// ------------------------------------------------------------ generation mode

	static final java.util.regex.Pattern STARTED = java.util.regex.Pattern.compile("[Ii]mage #(\\d+) started");

	static long startedJob(FakeLine.Sent sent) {
		java.util.regex.Matcher started = STARTED.matcher(String.join("\n", sent.texts()));
		assertThat(started.find()).as("a started notice in %s", sent.texts()).isTrue();
		return Long.parseLong(started.group(1));
	}

	/** What an image button posts back: the shared command. */
	static String button(long job, String code) {
		return "/image #" + job + " " + code;
	}

	/** The postback data of the buttons of the result card. */
	static List<String> buttons(FakeLine.Sent sent) {
		List<String> data = new java.util.ArrayList<>();
		sent.ofType("flex")
			.getFirst()
			.path("contents")
			.path("footer")
			.path("contents")
			.forEach(row -> row.path("contents")
				.forEach(button -> data.add(button.path("action").path("data").asText())));
		return data;
	}

	void assertServedImage(JsonNode imageMessage) throws Exception {
		for (String field : List.of("originalContentUrl", "previewImageUrl")) {
			URI url = URI.create(imageMessage.path(field).asText());
			assertThat(url.getScheme()).isEqualTo("https");
			assertThat(url.getHost()).isEqualTo("bot.example.com");
			// the signed link works without signing in (here on this server's own port)
			java.net.http.HttpResponse<byte[]> image = java.net.http.HttpClient.newHttpClient()
				.send(java.net.http.HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + port + url.getRawPath() + "?" + url.getRawQuery()))
					.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
			assertThat(image.statusCode()).isEqualTo(200);
			assertThat(image.headers().firstValue("Content-Type"))
				.hasValueSatisfying(type -> assertThat(type).matches("image/(png|jpeg)"));
		}
	}

	@Test
	void theWholeGenerationFlowWithButtons() throws Exception {
		String user = newUser();

		// switch with the quick reply every answer carries
		deliver(line.postback(FakeLine.user(user), "/mode image"));
		assertThat(awaitSent(user, 1).getFirst().texts().getFirst()).startsWith("Image mode");

		// a text becomes the prompt of an origin job; the user is told it started
		deliver(line.text(FakeLine.user(user), "a lighthouse at dawn, oil painting"));
		FakeLine.Sent started = awaitSent(user, 2).get(1);
		assertThat(started.how()).isEqualTo("reply");
		long origin = startedJob(started);
		assertThat(openai.requests()).isEmpty();

		// the 2x2 grid arrives by push, with U1-U4, V1-V4 and reroll
		FakeLine.Sent grid = awaitSent(user, 3).get(2);
		assertThat(grid.how()).isEqualTo("push");
		assertThat(grid.retryKey()).isNotNull();
		assertServedImage(grid.ofType("image").getFirst());
		assertThat(buttons(grid)).containsExactly(button(origin, "U1"), button(origin, "U2"), button(origin, "U3"),
				button(origin, "U4"), button(origin, "V1"), button(origin, "V2"), button(origin, "V3"),
				button(origin, "V4"), button(origin, "RR"));
		assertThat(grid.quickReplyData()).contains(button(origin, "U1"), button(origin, "RR"));

		// U2 upscales the second candidate
		deliver(line.postback(FakeLine.user(user), button(origin, "U2")));
		FakeLine.Sent upscaling = awaitSent(user, 4).get(3);
		assertThat(upscaling.texts().getFirst()).startsWith("🎨 Upscaling candidate 2 of image #" + origin);
		long upscale = startedJob(upscaling);

		FakeLine.Sent upscaled = awaitSent(user, 5).get(4);
		assertServedImage(upscaled.ofType("image").getFirst());
		assertThat(buttons(upscaled)).containsExactly(button(upscale, "VX"), button(upscale, "VS"));

		// vary the upscale strongly: four new candidates (a button from before buttons
		// sent commands still works)
		deliver(line.postback(FakeLine.user(user), "image:" + upscale + ":VX"));
		long varied = startedJob(awaitSent(user, 6).get(5));
		FakeLine.Sent variations = awaitSent(user, 7).get(6);
		assertThat(buttons(variations)).hasSize(9).first().isEqualTo(button(varied, "U1"));

		// a button on an upscale that it does not have is explained, nothing starts
		deliver(line.postback(FakeLine.user(user), button(upscale, "U1")));
		assertThat(awaitSent(user, 8).get(7).texts().getFirst()).contains("upscaled image");
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> line.sentTo(user).size() == 8);

		// /mode chat goes back to the model
		deliver(line.text(FakeLine.user(user), "/mode chat"));
		assertThat(awaitSent(user, 9).get(8).texts().getFirst()).startsWith("Chat mode");
	}

	@Test
	void aFailedJobIsReportedWithItsReason() {
		String user = newUser();
		deliver(line.text(FakeLine.user(user), "/imagine a slow painting --provider slow"));
		long job = startedJob(awaitSent(user, 1).getFirst());

		FakeLine.Sent failed = awaitSent(user, 2).get(1);
		assertThat(failed.how()).isEqualTo("push");
		assertThat(failed.texts().getFirst()).startsWith("⚠️ Image #" + job + " failed: ")
			.contains("did not finish within");
	}

	@Test
	void someoneElsesJobsButtonsDoNothingInAnotherChat() {
		String owner = newUser();
		deliver(line.text(FakeLine.user(owner), "/imagine a red kite"));
		long job = startedJob(awaitSent(owner, 1).getFirst());
		awaitSent(owner, 2);

		String stranger = newUser();
		deliver(line.postback(FakeLine.user(stranger), button(job, "U1")));

		assertThat(awaitSent(stranger, 1).getFirst().texts().getFirst()).contains("#" + job);
		assertThat(line.sentTo(stranger).getFirst().texts().getFirst()).doesNotContain("started");
	}

	// ------------------------------------------------------------ comics

	static final String COMIC_STORY = """
			{"title": "Nabi the Barista", "panels": [
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

	static long startedComic(FakeLine.Sent sent) {
		java.util.regex.Matcher started = java.util.regex.Pattern.compile("Comic #(\\d+) started")
			.matcher(String.join("\n", sent.texts()));
		assertThat(started.find()).as("a started notice in %s", sent.texts()).isTrue();
		return Long.parseLong(started.group(1));
	}

	byte[] fetch(URI signed) throws Exception {
		return java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + port + signed.getRawPath() + "?" + signed.getRawQuery()))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray())
			.body();
	}

	@Test
	void slashComicMakesAStripThatArrivesByPushWithItsTitle() throws Exception {
		String user = newUser();
		openai.replyNext(COMIC_STORY, COMIC_PROMPTS);

		deliver(line.text(FakeLine.user(user), "/comic a cat who wants to become a barista"));

		FakeLine.Sent started = awaitSent(user, 1).getFirst();
		assertThat(started.how()).isEqualTo("reply");
		assertThat(started.texts().getFirst()).contains("The strip will follow here");
		long comic = startedComic(started);

		await().atMost(COMIC_WAIT).until(() -> line.sentTo(user).size() >= 2);
		FakeLine.Sent strip = line.sentTo(user).get(1);
		assertThat(strip.how()).isEqualTo("push");
		assertThat(strip.retryKey()).isNotNull();
		assertThat(strip.texts()).singleElement()
			.satisfies(text -> assertThat(text).startsWith("🖍️ “Nabi the Barista” — comic #" + comic + " is ready"));
		JsonNode image = strip.ofType("image").getFirst();
		assertServedImage(image);
		// the strip itself (a PNG within LINE's 10 MB), and a small JPEG preview of the
		// tall strip
		var owner = conversations.findUser(new PlatformUserId("line", user)).orElseThrow();
		String sha256 = comics.get(owner.id(), new io.switchboard.comic.ComicId(comic)).stripSha256();
		URI original = URI.create(image.path("originalContentUrl").asText());
		assertThat(original.getPath()).isEqualTo("/media/" + sha256);
		assertThat(fetch(original)).isEqualTo(media.load(sha256).orElseThrow().bytes());
		byte[] preview = fetch(URI.create(image.path("previewImageUrl").asText()));
		java.awt.image.BufferedImage shown = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(preview));
		assertThat((long) preview.length).isLessThanOrEqualTo(LineImages.MAX_PREVIEW);
		assertThat(Math.max(shown.getWidth(), shown.getHeight())).isEqualTo(LineImages.PREVIEW_SIDE);
		assertThat(shown.getHeight()).isGreaterThan(shown.getWidth());

		// once: the comic module saying it again sends nothing new
		var finished = comics.get(owner.id(), new io.switchboard.comic.ComicId(comic));
		events.publishEvent(new io.switchboard.comic.ComicFinished(finished.id(), owner.id(), "again",
				media.find(sha256).orElseThrow(), finished.origin()));
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> line.sentTo(user).size() == 2);
	}

	@Test
	void aComicThatCannotBeMadeInAGroupIsExplainedThere() {
		String group = "C" + UUID.randomUUID().toString().replace("-", "");
		String alice = newUser();
		// the model answers no JSON, twice
		openai.replyNext("Sorry, no comic today.", "Still no comic.");

		deliver(line.text(FakeLine.group(group, alice), "/comic a dragon's day off"));

		long comic = startedComic(awaitSent(group, 1).getFirst());
		await().atMost(COMIC_WAIT).until(() -> line.sentTo(group).size() >= 2);
		FakeLine.Sent failed = line.sentTo(group).get(1);
		assertThat(failed.how()).isEqualTo("push");
		assertThat(failed.to()).isEqualTo(group);
		assertThat(failed.texts()).singleElement()
			.satisfies(text -> assertThat(text).startsWith("⚠️ Comic #" + comic + " could not be made: ")
				.contains("twice in a row"));
		assertThat(failed.ofType("image")).isEmpty();
		assertThat(line.sentTo(alice)).isEmpty();
	}

	@Test
	void anImageStillTooLargeAsAJpegIsMadeSmallerUntilItFits() throws Exception {
		// noise does not compress: a tall 600x2400 strip of it is megabytes even as a
		// JPEG
		java.awt.image.BufferedImage noise = new java.awt.image.BufferedImage(600, 2400,
				java.awt.image.BufferedImage.TYPE_INT_RGB);
		java.util.Random random = new java.util.Random(42);
		for (int y = 0; y < noise.getHeight(); y++) {
			for (int x = 0; x < noise.getWidth(); x++) {
				noise.setRGB(x, y, random.nextInt(0x1000000));
			}
		}
		java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
		javax.imageio.ImageIO.write(noise, "png", png);
		io.switchboard.media.MediaRef strip = media.store(png.toByteArray());
		long limit = 200_000;
		assertThat(strip.sizeBytes()).isGreaterThan(10 * limit);

		io.switchboard.media.MediaRef fitted = images.forLine(strip, limit, 0);

		assertThat(fitted.mimeType()).isEqualTo("image/jpeg");
		assertThat(fitted.sizeBytes()).isLessThanOrEqualTo(limit);
		// smaller, but still the whole strip, the same way up
		assertThat(fitted.height()).isGreaterThan(3 * fitted.width()).isLessThan(strip.height());
		// what fits already is used as it is
		assertThat(images.forLine(strip, LineImages.MAX_ORIGINAL, 0)).isEqualTo(strip);
	}

	@Test
	void twoProposedFactsGetNumberedQuickRepliesAndEachRemembersItsOwn() {
		String user = newUser();
		openai.answerWith(question -> question.startsWith("Summary so far:")
				? "The user explained a long migration plan.\nFACTS:\n- I am vegetarian\n- I live in Lyon"
				: "Echo: " + question);
		deliver(line.text(FakeLine.user(user), "Hello"));
		awaitSent(user, 1);
		deliver(line.text(FakeLine.user(user), "/session model gpt-text"));
		awaitSent(user, 2);
		String filler = " The migration plan covers the rollout, the risks we listed and the review next Monday."
			.repeat(18);
		for (int n = 1; n <= 10 && openai.requests()
			.stream()
			.noneMatch(request -> request.bodyText().contains("Summary so far:")); n++) {
			int before = line.sentTo(user).size();
			deliver(line.text(FakeLine.user(user), "Turn " + n + filler));
			awaitSent(user, before + 1);
		}
		// LINE shows one row of quick replies: the two proposals and their buttons are
		// numbered, so each button says which fact it answers
		await().atMost(WAIT)
			.until(() -> line.sentTo(user).getLast().texts().stream().anyMatch(text -> text.contains("Lyon")));
		FakeLine.Sent proposals = line.sentTo(user).getLast();
		assertThat(proposals.texts()).hasSize(2);
		assertThat(proposals.texts().get(0)).startsWith("1) Remember this about you?").contains("I am vegetarian");
		assertThat(proposals.texts().get(1)).startsWith("2) Remember this about you?").contains("I live in Lyon");
		java.util.Map<String, String> buttons = new java.util.LinkedHashMap<>();
		proposals.messages()
			.get(proposals.messages().size() - 1)
			.path("quickReply")
			.path("items")
			.forEach(item -> buttons.put(item.path("action").path("label").asText(),
					item.path("action").path("data").asText()));
		assertThat(buttons.keySet()).startsWith("Remember 1", "Don't remember 1", "Remember 2", "Don't remember 2");

		int before = line.sentTo(user).size();
		deliver(line.postback(FakeLine.user(user), buttons.get("Remember 2")));
		assertThat(awaitSent(user, before + 1).getLast().texts().getFirst())
			.startsWith("Remembered (1): I live in Lyon");
		deliver(line.postback(FakeLine.user(user), buttons.get("Don't remember 1")));
		assertThat(awaitSent(user, before + 2).getLast().texts().getFirst()).isEqualTo("Not remembered.");
		io.switchboard.conversation.User person = conversations.findUser(new PlatformUserId("line", user))
			.orElseThrow();
		assertThat(conversations.facts(person.id())).extracting(io.switchboard.conversation.Fact::text)
			.containsExactly("I live in Lyon");
		assertThat(conversations.factSuggestions(person.id())).isEmpty();
		openai.echo();
	}

}
