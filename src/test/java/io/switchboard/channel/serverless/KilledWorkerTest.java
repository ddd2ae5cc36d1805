package io.switchboard.channel.serverless;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.switchboard.fakes.FakeLine;
import io.switchboard.fakes.FakeSqs;
import io.switchboard.testsupport.DynamoMessages;
import io.switchboard.testsupport.Dynalite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker container that dies in the middle of a turn: the event taken in, the question
 * kept, the turn held and the model asked, then the process killed (SIGKILL, as Lambda
 * ends a container that runs out of memory or time), with no chance to answer, to let go
 * of the turn or to report to SQS. The message comes again after the queue's visibility
 * timeout, to another container; by then the dead holder's lease has run out, so the
 * repeated event hands its turn over and the user is answered, once.
 * <p>
 * The first worker runs in a JVM of its own ({@link FunctionContainer}), started as
 * Lambda starts it, so that killing it kills nothing of the test's; the second runs in
 * this JVM.
 */
class KilledWorkerTest {

	/** Short, so that the test need not wait long for it to run out. */
	private static final Duration LEASE = Duration.ofSeconds(3);

	@TempDir
	Path folder;

	private LambdaRig rig;

	private DynamoMessages messages;

	private Process container;

	@BeforeEach
	void start() {
		Dynalite.requireOrSkip();
		rig = new LambdaRig(folder, Map.of("switchboard.channel.turn-lease", LEASE.toSeconds() + "s",
				"switchboard.channel.recovery-interval", "1s"), false);
		// the table exists before any function starts, as in a deployment (the webhook
		// does not make it)
		Dynalite.createTable(rig.table);
		rig.startWebhook();
		messages = new DynamoMessages();
	}

	@AfterEach
	void stop() throws Exception {
		if (container != null && container.isAlive()) {
			kill(container);
		}
		if (messages != null) {
			messages.close();
		}
		if (rig != null) {
			rig.close();
		}
	}

	/**
	 * Kills a container as Lambda does, but frozen first (SIGSTOP), and only after the
	 * requests it had made to the table were answered: dynalite, unlike DynamoDB, ends
	 * its own process when a connection closes under a request it has not answered yet,
	 * and every test after this one would find no table.
	 */
	private static void kill(Process container) throws Exception {
		Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(container.pid())).inheritIO().start();
		assertThat(stop.waitFor()).as("kill -STOP").isZero();
		Thread.sleep(500);
		container.destroyForcibly();
		assertThat(container.waitFor(30, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void aWorkerKilledWhileTheModelThinksIsFollowedByOneAnswer() throws Exception {
		String user = LambdaRig.newUser();
		// the first ask is never answered in time: the container dies waiting for it
		rig.model.reply("Answered after the crash").firstByteDelay(Duration.ofMinutes(2));
		int asked = rig.model.requests().size();
		rig.post(FakeLine.body(rig.line.text(FakeLine.user(user), "are you still there")));
		List<FakeSqs.Message> first = rig.sqs.receive(LambdaRig.QUEUE, 10, Duration.ofSeconds(60));
		assertThat(first).hasSize(1);

		Path output = folder.resolve("killed-worker.log");
		container = FunctionContainer
			.process("worker", rig.workerSettings(), rig.sqsEvent(LambdaRig.QUEUE, first), folder, "",
					System.getProperty("java.class.path"), false)
			.redirectOutput(output.toFile())
			.redirectError(output.toFile())
			.start();
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
		while (rig.model.requests().size() == asked) {
			assertThat(container.isAlive())
				.as("the worker exited before asking the model:%n%s",
						Files.exists(output) ? Files.readString(output) : "")
				.isTrue();
			assertThat(System.nanoTime()).as("the worker did not ask the model within 3 minutes").isLessThan(deadline);
			Thread.sleep(50);
		}
		kill(container);

		// what the dead container left: the question kept, no answer sent
		assertThat(messages.questionsStored(rig.table, "are you still there")).isEqualTo(1);
		assertThat(rig.line.sentTo(user)).isEmpty();

		// nobody renews the dead holder's lease; then SQS gives the message out again
		Thread.sleep(LEASE.plusMillis(1500).toMillis());
		rig.model.firstByteDelay(Duration.ZERO);
		rig.sqs.expireVisibility(LambdaRig.QUEUE);
		rig.startWorker();
		assertThat(rig.pollOnce(LambdaRig.QUEUE))
			.anySatisfy(message -> assertThat(message.receives()).as("the event's message, again").isEqualTo(2));
		// the turn may have been handed over through the queue (by the new container's
		// recovery, or by the repeated event): Lambda's event source mapping goes on
		// invoking workers while the queue has messages
		long drained = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!rig.sqs.messages(LambdaRig.QUEUE).isEmpty() && System.nanoTime() < drained) {
			if (rig.pollOnce(LambdaRig.QUEUE).isEmpty()) {
				Thread.sleep(100);
			}
		}

		assertThat(rig.line.sentTo(user)).singleElement()
			.satisfies(sent -> assertThat(sent.texts()).containsExactly("Answered after the crash"));
		assertThat(messages.questionsStored(rig.table, "are you still there")).isEqualTo(1);
		assertThat(rig.model.requests()).as("asked by the dead container and once more").hasSize(asked + 2);
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).isEmpty();
	}

}
