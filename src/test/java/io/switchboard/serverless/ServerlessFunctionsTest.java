package io.switchboard.serverless;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.fakes.FakeLine;
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
		JsonNode answer = rig.post(FakeLine.body(rig.line.text(FakeLine.user(user), "hi lambda")));

		assertThat(answer.path("statusCode").asInt()).as(answer.toString()).isEqualTo(200);
		assertThat(messages.questionsStored(rig.table, "hi lambda")).as("stored before the 200").isEqualTo(1);
		assertThat(rig.model.requests()).as("the webhook never waits for the model").isEmpty();
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).hasSize(1);

		assertThat(rig.pollOnce(LambdaRig.QUEUE)).hasSize(1);

		assertThat(rig.line.sentTo(user)).singleElement().satisfies(sent -> {
			assertThat(sent.how()).isEqualTo("reply");
			assertThat(sent.texts()).containsExactly("Hello from the worker");
		});
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).isEmpty();
		assertThat(messages.answerState(rig.table, "hi lambda")).isEqualTo("answered");
	}

}
