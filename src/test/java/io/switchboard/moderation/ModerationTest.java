package io.switchboard.moderation;

import java.time.Duration;
import java.util.UUID;

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
import io.switchboard.fakes.FakeHttpServer;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.image.ImageJob;
import io.switchboard.image.ImageJobs;
import io.switchboard.image.ImageOrigin;
import io.switchboard.image.ImageRequest;
import io.switchboard.image.JobState;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.testsupport.RecordingSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Moderation on LINE and off on Slack, checked by the fake OpenAI's
 * {@code /v1/moderations}: a flagged chat message is refused naming its category and
 * stored as refused, and no model sees it; a clean one is answered; a check that cannot
 * be made lets nothing through; a flagged image prompt is never drawn.
 */
@IntegrationTest
class ModerationTest {

	static final FakeOpenAi openai = FakeOpenAi.start("sk-moderation-test");

	@Autowired
	Assistant assistant;

	@Autowired
	Conversations conversations;

	@Autowired
	ImageJobs images;

	final RecordingSink sink = new RecordingSink();

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("switchboard.llm.providers.openai.type", () -> "openai");
		registry.add("switchboard.llm.providers.openai.base-url", () -> openai.baseUrl().toString());
		registry.add("switchboard.llm.providers.openai.api-key", () -> "sk-moderation-test");
		registry.add("switchboard.llm.models.gpt-test.provider", () -> "openai");
		registry.add("switchboard.llm.models.gpt-test.upstream-model", () -> "gpt-4o-mini");
		registry.add("switchboard.moderation.platforms", () -> "line,web");
		registry.add("switchboard.moderation.provider", () -> "openai");
		registry.add("switchboard.image.demo.duration", () -> "100ms");
		registry.add("db-scheduler.polling-interval", () -> "100ms");
	}

	@AfterEach
	void reset() {
		openai.reset();
	}

	@Test
	void aFlaggedMessageIsRefusedNamingTheCategoryStoredAsRefusedAndNoModelSeesIt() {
		openai.flagWhenSaid("hurt", "violence").flagWhenSaid("crowbar", "violence/graphic");
		StoredMessage answer = askAndAnswer(line(), "How do I hurt someone with a crowbar?");

		assertThat(answer.state()).isEqualTo(AnswerState.REFUSED);
		assertThat(answer.note()).isEqualTo(
				"This message was not answered: the moderation check flagged it as violence, violence (graphic).");
		assertThat(sink.of(ReplyEvent.AnswerFailed.class)).singleElement()
			.satisfies(failed -> assertThat(failed.message()).isEqualTo(answer.note()));
		assertThat(openai.moderationInputs()).containsExactly("How do I hurt someone with a crowbar?");
		assertThat(chatRequests()).isZero();
		// the moderation call went with the provider's key and the default model
		FakeHttpServer.RecordedRequest check = openai.requests().getFirst();
		assertThat(check.header("Authorization")).isEqualTo("Bearer sk-moderation-test");
		assertThat(check.json().path("model").asText()).isEqualTo("omni-moderation-latest");
		// the question stays in the history, refused, and out of later contexts
		StoredMessage question = conversations.message(answer.replyTo()).orElseThrow();
		assertThat(question.text()).isEqualTo("How do I hurt someone with a crowbar?");
	}

	@Test
	void aCleanMessageIsCheckedAndThenAnswered() {
		openai.flagWhenSaid("crowbar", "violence");
		StoredMessage answer = askAndAnswer(line(), "What is a switchboard?");

		assertThat(answer.state()).isEqualTo(AnswerState.ANSWERED);
		assertThat(answer.text()).isEqualTo("Echo: What is a switchboard?");
		assertThat(openai.moderationInputs()).containsExactly("What is a switchboard?");
		assertThat(chatRequests()).isOne();
	}

	@Test
	void onAPlatformWithoutModerationNothingIsChecked() {
		openai.flagWhenSaid("crowbar", "violence");
		PlatformUserId onSlack = new PlatformUserId("slack", "U" + UUID.randomUUID());
		StoredMessage answer = askAndAnswer(
				InboundMessage.text(onSlack, "sam", Place.direct("slack"), "a crowbar is a tool"), onSlack);

		assertThat(answer.state()).isEqualTo(AnswerState.ANSWERED);
		assertThat(openai.moderationInputs()).isEmpty();
	}

	@Test
	void whenTheCheckCannotBeMadeTheMessageFailsAndNoModelSeesIt() {
		openai.enqueue(FakeHttpServer.Reply.json(503, """
				{"error":{"message":"The server is overloaded.","type":"server_error","param":null,"code":null}}"""));
		StoredMessage answer = askAndAnswer(line(), "Is anyone there?");

		assertThat(answer.state()).isEqualTo(AnswerState.FAILED);
		assertThat(answer.note()).contains("could not be checked by moderation");
		assertThat(chatRequests()).isZero();
	}

	@Test
	void aFlaggedImagePromptIsNeverDrawnAndACleanOneIs() {
		openai.flagWhenSaid("gore", "violence/graphic");
		PlatformUserId me = new PlatformUserId("line", "U" + UUID.randomUUID());
		User user = conversations.identify(me, "lee");
		ImageOrigin origin = new ImageOrigin(me, Place.direct("line"));

		ImageJob refused = images.await(
				images.imagine(user.id(), ImageRequest.of("a castle covered in gore"), origin).id(),
				Duration.ofSeconds(20));
		assertThat(refused.state()).isEqualTo(JobState.FAILED);
		assertThat(refused.failureReason())
			.isEqualTo("This prompt was not drawn: the moderation check flagged it as violence (graphic).");
		assertThat(refused.candidates()).isEmpty();

		ImageJob drawn = images.await(images.imagine(user.id(), ImageRequest.of("a castle at dawn"), origin).id(),
				Duration.ofSeconds(20));
		assertThat(drawn.state()).isEqualTo(JobState.SUCCEEDED);
		assertThat(openai.moderationInputs()).containsExactly("a castle covered in gore", "a castle at dawn");
	}

	// ----------------------------------------------------------------- helpers

	/** Someone new on LINE, where moderation is on. */
	private static PlatformUserId line() {
		return new PlatformUserId("line", "U" + UUID.randomUUID());
	}

	private StoredMessage askAndAnswer(PlatformUserId onLine, String text) {
		return askAndAnswer(InboundMessage.text(onLine, "lee", Place.direct("line"), text), onLine);
	}

	/** What a channel does: receive (stored, pending), then the turn answers it. */
	private StoredMessage askAndAnswer(InboundMessage message, PlatformUserId sender) {
		Received received = assistant.receive(message);
		assertThat(received).isInstanceOf(Received.Asked.class);
		long answerId = ((Received.Asked) received).exchange().answerId();
		return assistant.answer(answerId, sender.platform(), sink).orElseThrow();
	}

	private static long chatRequests() {
		return openai.requests().stream().filter(request -> request.path().endsWith("/chat/completions")).count();
	}

}
