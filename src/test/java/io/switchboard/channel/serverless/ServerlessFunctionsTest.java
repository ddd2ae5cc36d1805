package io.switchboard.channel.serverless;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.fakes.FakeChatServer;
import io.switchboard.fakes.FakeLine;
import io.switchboard.fakes.FakeSqs;
import io.switchboard.testsupport.Dynalite;
import io.switchboard.testsupport.DynamoMessages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The serverless edition end to end, without AWS: a signed LINE event goes through the
 * webhook function, the queue and the worker function to a reply at the fake LINE, once,
 * however often LINE or SQS repeat themselves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerlessFunctionsTest {

	@TempDir
	static Path folder;

	private LambdaRig rig;

	private DynamoMessages messages;

	@BeforeAll
	void start() {
		Dynalite.requireOrSkip();
		rig = new LambdaRig(folder, Map.of());
		messages = new DynamoMessages();
	}

	@AfterAll
	void stop() {
		if (rig != null) {
			rig.close();
		}
		if (messages != null) {
			messages.close();
		}
	}

	private static String user() {
		return "U" + java.util.UUID.randomUUID().toString().replace("-", "");
	}

	@Test
	void aSignedMessageIsAnsweredThroughTheQueueByReply() {
		String user = user();
		rig.model.reply("Hello from the worker");
		int modelCalls = rig.model.requests().size();
		JsonNode answer = rig.post(FakeLine.body(rig.line.text(FakeLine.user(user), "hi lambda")));

		assertThat(answer.path("statusCode").asInt()).as(answer.toString()).isEqualTo(200);
		assertThat(messages.questionsStored(rig.table, "hi lambda")).as("stored before the 200").isEqualTo(1);
		assertThat(rig.model.requests()).as("the webhook never waits for the model").hasSize(modelCalls);
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).hasSize(1);

		assertThat(rig.pollOnce(LambdaRig.QUEUE)).hasSize(1);

		assertThat(rig.line.sentTo(user)).singleElement().satisfies(sent -> {
			assertThat(sent.how()).isEqualTo("reply");
			assertThat(sent.texts()).containsExactly("Hello from the worker");
		});
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).isEmpty();
		assertThat(messages.answerState(rig.table, "hi lambda")).isEqualTo("answered");
	}

	@Test
	void aRedeliveredEventOrMessageChangesNothing() {
		String user = user();
		rig.model.reply("Once only");
		String body = FakeLine.body(rig.line.text(FakeLine.user(user), "say it once"));
		rig.post(body);
		List<FakeSqs.Message> first = rig.sqs.receive(LambdaRig.QUEUE, 10, Duration.ofSeconds(60));
		rig.invoke(rig.worker, rig.sqsEvent(LambdaRig.QUEUE, first));
		int modelCalls = rig.model.requests().size();

		// LINE redelivers the webhook call; SQS delivers the same message again
		assertThat(rig.post(body).path("statusCode").asInt()).isEqualTo(200);
		JsonNode again = rig.invoke(rig.worker, rig.sqsEvent(LambdaRig.QUEUE, first));

		assertThat(again.path("batchItemFailures")).isEmpty();
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).as("no second hand-over").hasSize(1);
		assertThat(rig.model.requests()).hasSize(modelCalls);
		assertThat(rig.line.sentTo(user)).singleElement()
			.satisfies(sent -> assertThat(sent.texts()).containsExactly("Once only"));
		assertThat(messages.questionsStored(rig.table, "say it once")).isEqualTo(1);
		first.forEach(message -> rig.sqs.delete(LambdaRig.QUEUE, message.receipt()));
	}

	/**
	 * A worker that died mid-turn (timed out, ran out of memory) neither answered nor
	 * deleted its message: SQS gives it out again after the visibility timeout, and the
	 * next worker answers, once.
	 */
	@Test
	void aWorkerThatDiedMidTurnIsFollowedByOneAnswer() {
		String user = user();
		rig.model.reply("Answered on the retry");
		rig.post(FakeLine.body(rig.line.text(FakeLine.user(user), "survive a crash")));
		assertThat(rig.sqs.receive(LambdaRig.QUEUE, 10, Duration.ofSeconds(60))).hasSize(1);
		rig.sqs.expireVisibility(LambdaRig.QUEUE);

		assertThat(rig.pollOnce(LambdaRig.QUEUE)).singleElement()
			.satisfies(message -> assertThat(message.receives()).isEqualTo(2));

		assertThat(rig.line.sentTo(user)).singleElement()
			.satisfies(sent -> assertThat(sent.texts()).containsExactly("Answered on the retry"));
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).isEmpty();
	}

	@Test
	void aForgedSignatureIsRefusedAndNothingStored() {
		String user = user();
		String body = FakeLine.body(rig.line.text(FakeLine.user(user), "forged question"));
		JsonNode answer = rig.post(body, FakeLine.start("someone-elses-secret", "x").sign(body.getBytes()));

		assertThat(answer.path("statusCode").asInt()).isEqualTo(401);
		assertThat(messages.questionsStored(rig.table, "forged question")).isZero();
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).isEmpty();
		assertThat(rig.line.sentTo(user)).isEmpty();
	}

	@Test
	void aModelFailureIsToldAndTheQuestionKept() {
		String user = user();
		rig.model.failNext(FakeChatServer.Failure.UNAUTHORIZED);
		rig.post(FakeLine.body(rig.line.text(FakeLine.user(user), "when the model fails")));

		rig.pollOnce(LambdaRig.QUEUE);

		assertThat(rig.line.sentTo(user)).singleElement().satisfies(sent -> assertThat(sent.texts()).isNotEmpty());
		assertThat(messages.questionsStored(rig.table, "when the model fails")).isEqualTo(1);
		assertThat(messages.answerState(rig.table, "when the model fails")).isEqualTo("failed");
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).isEmpty();
	}

	/**
	 * Every worker that took the message died: after {@code maxReceiveCount} receives SQS
	 * moves it to the dead-letter queue, whose trigger (the worker again) settles the
	 * question as failed and tells the user, without asking the model.
	 */
	@Test
	void aMessageThatKeepsFailingEndsInTheDeadLetterQueueAndTheUserIsTold() {
		String user = user();
		rig.post(FakeLine.body(rig.line.text(FakeLine.user(user), "never gets through")));
		int modelCalls = rig.model.requests().size();
		for (int receive = 1; receive <= LambdaRig.MAX_RECEIVES; receive++) {
			assertThat(rig.sqs.receive(LambdaRig.QUEUE, 10, Duration.ofSeconds(60))).hasSize(1);
			rig.sqs.expireVisibility(LambdaRig.QUEUE);
		}
		assertThat(rig.sqs.receive(LambdaRig.QUEUE, 10, Duration.ofSeconds(60))).isEmpty();
		assertThat(rig.sqs.messages(LambdaRig.QUEUE + "-dlq")).hasSize(1);

		rig.pollOnce(LambdaRig.QUEUE + "-dlq");

		assertThat(rig.line.sentTo(user)).singleElement()
			.satisfies(sent -> assertThat(String.join(" ", sent.texts())).contains("Please ask again"));
		assertThat(messages.answerState(rig.table, "never gets through")).isEqualTo("failed");
		assertThat(rig.model.requests()).hasSize(modelCalls);
		assertThat(rig.sqs.messages(LambdaRig.QUEUE + "-dlq")).isEmpty();
	}

	@Test
	void secretsComeFromSsmDecryptedOncePerContainer() {
		// both functions started in this one JVM: read once for it, never per call
		assertThat(rig.ssm.reads()).isEqualTo(1);
		assertThat(rig.ssm.requests()).allSatisfy(request -> {
			assertThat(request.json().path("WithDecryption").asBoolean()).isTrue();
			assertThat(request.header("x-amz-target")).isEqualTo("AmazonSSM.GetParameters");
		});
	}

	/**
	 * SnapStart's priming runs the hot paths before the snapshot: it must leave nothing
	 * behind (no message, no hand-over, no call to LINE or the model).
	 */
	@Test
	void primingRunsTheHotPathsAndLeavesNothing() {
		int lineCalls = rig.line.requests().size();
		int modelCalls = rig.model.requests().size();

		Priming.primeAll();

		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).isEmpty();
		assertThat(rig.line.requests()).hasSize(lineCalls);
		assertThat(rig.model.requests()).hasSize(modelCalls);
	}

}
