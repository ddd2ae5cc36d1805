package io.switchboard.channel.serverless;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.fakes.FakeLine;
import io.switchboard.fakes.FakeSqs;
import io.switchboard.testsupport.Dynalite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model that answers after the turn's lease would have run out: the worker running the
 * turn keeps holding it, so the same SQS message given to a second worker container
 * meanwhile (at-least-once delivery, or a visibility timeout shorter than the model)
 * finds the event taken in and its turn held, and does nothing: the model is asked once
 * and the user answered once. A short lease (3 s, renewed every second: a missed renewal
 * on a busy machine is no failure) keeps the test short; the model takes 9 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowModelTurnTest {

	private static final Duration LEASE = Duration.ofSeconds(3);

	@TempDir
	static Path folder;

	private LambdaRig rig;

	@BeforeAll
	void start() {
		Dynalite.requireOrSkip();
		rig = new LambdaRig(folder,
				Map.of("switchboard.channel.turn-lease", "3s", "switchboard.channel.recovery-interval", "1s"));
	}

	@AfterAll
	void stop() {
		if (rig != null) {
			rig.close();
		}
	}

	@Test
	void aMessageGivenAgainWhileTheModelIsSlowAsksTheModelOnceAndAnswersOnce() throws Exception {
		String user = LambdaRig.newUser();
		rig.model.reply("Slow but once").firstByteDelay(LEASE.multipliedBy(3));
		int modelCalls = rig.model.requests().size();
		rig.post(FakeLine.body(rig.line.text(FakeLine.user(user), "take your time")));
		List<FakeSqs.Message> first = rig.sqs.receive(LambdaRig.QUEUE, 10, Duration.ofSeconds(60));
		assertThat(first).hasSize(1);

		FunctionInvoker firstWorker = rig.worker;
		rig.startWorker(); // a second container, warm
		FunctionInvoker secondWorker = rig.worker;
		CompletableFuture<JsonNode> running = CompletableFuture
			.supplyAsync(() -> rig.invoke(firstWorker, rig.sqsEvent(LambdaRig.QUEUE, first)));
		while (rig.model.requests().size() == modelCalls && !running.isDone()) {
			Thread.sleep(20);
		}
		// longer than the lease the first worker took: unless renewed, it runs out while
		// the
		// model thinks
		Thread.sleep(LEASE.plusMillis(1500).toMillis());

		// SQS gives the message out again, to another worker container
		rig.sqs.expireVisibility(LambdaRig.QUEUE);
		List<FakeSqs.Message> again = rig.sqs.receive(LambdaRig.QUEUE, 10, Duration.ofSeconds(60));
		assertThat(again).singleElement().satisfies(message -> assertThat(message.receives()).isEqualTo(2));
		JsonNode second = rig.invoke(secondWorker, rig.sqsEvent(LambdaRig.QUEUE, again));

		assertThat(rig.model.requests()).as("the model is asked once").hasSize(modelCalls + 1);
		assertThat(running).as("the first worker is still waiting for the model").isNotDone();
		// the event is in and its turn held by the first worker, which renews it: nothing
		// for the second to do
		assertThat(second.path("batchItemFailures")).isEmpty();
		again.forEach(message -> rig.sqs.delete(LambdaRig.QUEUE, message.receipt()));

		assertThat(running.get().path("batchItemFailures")).as(running.get().toString()).isEmpty();
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).isEmpty();
		assertThat(rig.model.requests()).hasSize(modelCalls + 1);
		assertThat(rig.line.sentTo(user)).singleElement()
			.satisfies(sent -> assertThat(sent.texts()).containsExactly("Slow but once"));
	}

}
