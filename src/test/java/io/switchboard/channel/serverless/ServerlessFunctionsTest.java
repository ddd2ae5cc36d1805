package io.switchboard.channel.serverless;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.fakes.FakeChatServer;
import io.switchboard.fakes.FakeLine;
import io.switchboard.fakes.FakePictures;
import io.switchboard.fakes.FakeS3;
import io.switchboard.fakes.FakeSqs;
import io.switchboard.testsupport.Dynalite;
import io.switchboard.testsupport.DynamoMessages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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

	/** A test that failed half-way leaves nothing in the queues for the next. */
	@AfterEach
	void emptyTheQueues() {
		if (rig != null) {
			rig.sqs.refuseSends(false);
			rig.sqs.purge(LambdaRig.QUEUE);
			rig.sqs.purge(LambdaRig.QUEUE + "-dlq");
		}
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
		return LambdaRig.newUser();
	}

	@Test
	void aSignedMessageIsAnsweredThroughTheQueueByReply() {
		String user = user();
		rig.model.reply("Hello from the worker");
		int modelCalls = rig.model.requests().size();
		JsonNode answer = rig.post(FakeLine.body(rig.line.text(FakeLine.user(user), "hi lambda")));

		assertThat(answer.path("statusCode").asInt()).as(answer.toString()).isEqualTo(200);
		assertThat(messages.eventsKept(rig.table, "hi lambda")).as("kept before the 200").isEqualTo(1);
		assertThat(rig.model.requests()).as("the webhook never waits for the model").hasSize(modelCalls);
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).hasSize(1);

		assertThat(rig.pollOnce(LambdaRig.QUEUE)).hasSize(1);

		assertThat(rig.line.sentTo(user)).singleElement().satisfies(sent -> {
			assertThat(sent.how()).isEqualTo("reply");
			assertThat(sent.texts()).containsExactly("Hello from the worker");
		});
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).as("the turn ran in the same invocation").isEmpty();
		assertThat(messages.questionsStored(rig.table, "hi lambda")).isEqualTo(1);
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

		// SQS delivers the same message again; LINE redelivers the webhook call, which is
		// queued again (its first queueing might be what failed)
		JsonNode again = rig.invoke(rig.worker, rig.sqsEvent(LambdaRig.QUEUE, first));
		first.forEach(message -> rig.sqs.delete(LambdaRig.QUEUE, message.receipt()));
		assertThat(rig.post(body).path("statusCode").asInt()).isEqualTo(200);
		assertThat(rig.pollOnce(LambdaRig.QUEUE)).hasSize(1);

		assertThat(again.path("batchItemFailures")).isEmpty();
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).as("nothing handed over").isEmpty();
		assertThat(rig.model.requests()).hasSize(modelCalls);
		assertThat(rig.line.sentTo(user)).singleElement()
			.satisfies(sent -> assertThat(sent.texts()).containsExactly("Once only"));
		assertThat(messages.questionsStored(rig.table, "say it once")).isEqualTo(1);
		assertThat(messages.eventsKept(rig.table, "say it once")).isEqualTo(1);
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
		assertThat(messages.eventsKept(rig.table, "forged question")).isZero();
		assertThat(messages.questionsStored(rig.table, "forged question")).isZero();
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).isEmpty();
		assertThat(rig.line.sentTo(user)).isEmpty();
	}

	/**
	 * What people write never reaches the functions' logs (CloudWatch): not the adapter's
	 * log of each event it receives, not the webhook's, not the worker's.
	 */
	@Test
	@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
	void whatPeopleWriteIsNeverLogged(org.springframework.boot.test.system.CapturedOutput output) {
		// a container of its own, as in AWS; here every application shares one logging
		// system, set up once: the adapter's level as a fresh container has it first
		org.springframework.boot.logging.LoggingSystem.get(getClass().getClassLoader())
			.setLogLevel("org.springframework.cloud.function.adapter.aws.AWSLambdaUtils", null);
		rig.startWebhook();
		String user = user();
		rig.model.reply("a private answer");
		rig.post(FakeLine.body(rig.line.text(FakeLine.user(user), "my private question 4711")));
		org.springframework.boot.logging.LoggingSystem.get(getClass().getClassLoader())
			.setLogLevel("org.springframework.cloud.function.adapter.aws.AWSLambdaUtils", null);
		rig.startWorker();
		rig.pollOnce(LambdaRig.QUEUE);

		assertThat(rig.line.sentTo(user)).hasSize(1);
		assertThat(output.getAll()).doesNotContain("my private question 4711").doesNotContain("a private answer");
	}

	/** LINE's verification call (Verify in the console): signed, without events. */
	@Test
	void theVerificationCallIsAnswered200AndNothingQueued() {
		JsonNode answer = rig.post("{\"destination\":\"Ubot\",\"events\":[]}");

		assertThat(answer.path("statusCode").asInt()).as(answer.toString()).isEqualTo(200);
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).isEmpty();
	}

	/**
	 * A signed body that is not a LINE call, or has an event the SDK cannot read: 400,
	 * and none of its events kept or queued (a body is taken whole or not at all).
	 */
	@Test
	void aSignedButBrokenBodyIsRefusedWhole() {
		String user = user();
		String good = FakeLine.body(rig.line.text(FakeLine.user(user), "half of a broken body"));
		// the good event, then one without its webhookEventId
		String broken = good.substring(0, good.length() - "]}".length()) + ",{\"type\":\"message\"}]}";

		for (String body : java.util.List.of("not json", "{\"events\":{}}", broken)) {
			JsonNode answer = rig.post(body);
			assertThat(answer.path("statusCode").asInt()).as(body).isEqualTo(400);
			assertThat(answer.path("body").asText()).as(body).contains("message");
		}
		assertThat(messages.eventsKept(rig.table, "half of a broken body")).isZero();
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).isEmpty();
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

	/**
	 * What fails even from the dead-letter queue (here a message that is neither an event
	 * nor a turn) is dropped, not given out again every visibility timeout for the
	 * queue's two weeks; from the main queue it comes again, towards the dead-letter
	 * queue.
	 */
	@Test
	void aMessageThatFailsFromTheDeadLetterQueueIsDroppedNotRetriedForever() {
		rig.sqs.send(LambdaRig.QUEUE, "not a message of ours");
		rig.sqs.send(LambdaRig.QUEUE + "-dlq", "not a message of ours");

		rig.pollOnce(LambdaRig.QUEUE);
		rig.pollOnce(LambdaRig.QUEUE + "-dlq");

		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).as("failed: comes again").hasSize(1);
		assertThat(rig.sqs.messages(LambdaRig.QUEUE + "-dlq")).as("dropped").isEmpty();
	}

	/**
	 * A photo question: the photo is kept in the S3 bucket by the webhook (acknowledged
	 * there, at once), then the question about it goes through the queue, and the worker
	 * reads the photo back from the bucket for the model.
	 */
	@Test
	void aPhotoThenAQuestionAboutItAreAnsweredWithThePhotoKeptInTheBucket() {
		String user = user();
		byte[] photo = FakePictures.png(64, 48, 14);
		rig.model.reply("A square of colours");
		int modelCalls = rig.model.requests().size();
		int s3Calls = rig.s3.requests().size();

		JsonNode taken = rig.post(FakeLine.body(rig.line.image(FakeLine.user(user), photo)));
		assertThat(taken.path("statusCode").asInt()).isEqualTo(200);
		assertThat(rig.s3.requests()).as("the webhook downloads nothing").hasSize(s3Calls);
		assertThat(rig.pollOnce(LambdaRig.QUEUE)).hasSize(1);

		assertThat(rig.line.sentTo(user)).as("acknowledged by the worker").singleElement().satisfies(sent -> {
			assertThat(sent.how()).isEqualTo("reply");
			assertThat(sent.texts()).containsExactly("Photo received, what would you like to know?");
		});
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).as("a photo alone is no question").isEmpty();
		String sha256 = sha256(photo);
		FakeS3.StoredObject object = rig.s3.objects().get("media/" + sha256);
		assertThat(object).as("the photo in the bucket under its hash").isNotNull();
		assertThat(object.bytes()).isEqualTo(photo);
		assertThat(object.contentType()).isEqualTo("image/png");
		assertThat(object.metadata()).containsEntry("width", "64").containsEntry("height", "48");
		assertThat(rig.s3.requests().subList(s3Calls, rig.s3.requests().size()))
			.allSatisfy(request -> assertThat(request.path()).isEqualTo("/" + LambdaRig.BUCKET + "/media/" + sha256))
			.extracting(FakeS3.RecordedRequest::method)
			.containsExactly("HEAD", "PUT");

		rig.post(FakeLine.body(rig.line.text(FakeLine.user(user), "What is in my photo?")));
		assertThat(rig.pollOnce(LambdaRig.QUEUE)).hasSize(1);

		assertThat(rig.model.requests()).hasSize(modelCalls + 1);
		JsonNode asked = rig.model.lastRequestJson();
		assertThat(rig.model.images(asked)).singleElement().satisfies(image -> {
			assertThat(image.mimeType()).isEqualTo("image/png");
			assertThat(image.data()).isEqualTo(photo);
		});
		assertThat(asked.toString()).contains("What is in my photo?");
		assertThat(rig.s3.requests()).as("the worker read the photo from the bucket")
			.anySatisfy(request -> assertThat(request.method() + " " + request.path())
				.isEqualTo("GET /" + LambdaRig.BUCKET + "/media/" + sha256));
		assertThat(rig.line.sentTo(user)).hasSize(2)
			.last()
			.satisfies(sent -> assertThat(sent.texts()).containsExactly("A square of colours"));
		assertThat(messages.answerState(rig.table, "What is in my photo?")).isEqualTo("answered");
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).isEmpty();
	}

	/**
	 * The turn reaches the worker after its reply token went stale (LINE refuses it,
	 * "Invalid reply token", as it does after about a minute): the answer goes by push
	 * with a retry key, once. When SQS delivers the message again after the push, nothing
	 * is sent again.
	 */
	@Test
	void aStaleReplyTokenIsAnsweredByPushOnceAlsoWhenSqsDeliversAgain() {
		String user = user();
		rig.model.reply("Pushed, not replied");
		ObjectNode event = rig.line.text(FakeLine.user(user), "answer me late");
		rig.post(FakeLine.body(event));
		rig.line.expire(event.path("replyToken").asText());
		int replies = rig.line.requestsTo("/v2/bot/message/reply").size();
		int modelCalls = rig.model.requests().size();
		List<FakeSqs.Message> first = rig.sqs.receive(LambdaRig.QUEUE, 10, Duration.ofSeconds(60));
		assertThat(first).hasSize(1);

		JsonNode done = rig.invoke(rig.worker, rig.sqsEvent(LambdaRig.QUEUE, first));

		assertThat(done.path("batchItemFailures")).isEmpty();
		assertThat(rig.line.requestsTo("/v2/bot/message/reply")).as("the token was tried, and refused")
			.hasSize(replies + 1);
		FakeLine.Sent pushed = rig.line.sentTo(user).getFirst();
		assertThat(rig.line.sentTo(user)).singleElement().satisfies(sent -> {
			assertThat(sent.how()).isEqualTo("push");
			assertThat(sent.to()).isEqualTo(user);
			assertThat(sent.retryKey()).isNotBlank();
			assertThat(sent.texts()).containsExactly("Pushed, not replied");
		});

		// the same message again (its deletion was lost, or SQS repeats itself)
		JsonNode again = rig.invoke(rig.worker, rig.sqsEvent(LambdaRig.QUEUE, first));

		assertThat(again.path("batchItemFailures")).isEmpty();
		assertThat(rig.line.sentTo(user)).containsExactly(pushed);
		assertThat(pushRequestsTo(user)).as("no second push asked for").hasSize(1);
		assertThat(rig.model.requests()).hasSize(modelCalls + 1);
		first.forEach(message -> rig.sqs.delete(LambdaRig.QUEUE, message.receipt()));
	}

	/**
	 * LINE takes the push but its answer is lost on the way (the connection drops): the
	 * sender cannot know it went out, so the push is made again (by the HTTP client's own
	 * retry, or the delivery's) with the same {@code X-Line-Retry-Key}, which LINE
	 * answers 409 without sending; SQS's redelivery then finds it done. The user gets the
	 * answer once.
	 */
	@Test
	void aPushWhoseAnswerWasLostIsRepeatedWithTheSameRetryKeyAndShownOnce() throws InterruptedException {
		String user = user();
		rig.model.reply("Shown once");
		ObjectNode event = rig.line.text(FakeLine.user(user), "push with a lost answer");
		rig.post(FakeLine.body(event));
		rig.line.expire(event.path("replyToken").asText());
		rig.line.losePushAnswers(1);
		int modelCalls = rig.model.requests().size();
		List<FakeSqs.Message> first = rig.sqs.receive(LambdaRig.QUEUE, 10, Duration.ofSeconds(60));

		rig.invoke(rig.worker, rig.sqsEvent(LambdaRig.QUEUE, first));

		assertThat(rig.line.sentTo(user)).hasSize(1);
		// made again: at once by the HTTP client, or after the delivery's pause (by this
		// container's own retry, which lives on in this JVM; in Lambda by the SQS
		// redelivery)
		awaitPushRequests(user, 2);
		JsonNode again = rig.invoke(rig.worker, rig.sqsEvent(LambdaRig.QUEUE, first));

		assertThat(again.path("batchItemFailures")).isEmpty();
		List<String> keys = pushRequestsTo(user).stream().map(request -> request.header("X-Line-Retry-Key")).toList();
		assertThat(keys).hasSize(2).doesNotContainNull();
		assertThat(keys.get(1)).isEqualTo(keys.get(0));
		assertThat(rig.line.sentTo(user)).as("LINE dropped the repeat (409)")
			.singleElement()
			.satisfies(sent -> assertThat(sent.texts()).containsExactly("Shown once"));
		assertThat(rig.model.requests()).hasSize(modelCalls + 1);
		first.forEach(message -> rig.sqs.delete(LambdaRig.QUEUE, message.receipt()));
	}

	/**
	 * SQS refuses the event: it is kept, but the webhook must not answer 200 with it
	 * unqueued. It answers 500; LINE delivers the event again (webhook redelivery), which
	 * is not kept a second time but queued, and the question is answered once. A further
	 * redelivery is queued too, and its intake finds the key taken in: nothing new.
	 */
	@Test
	void whenSqsRefusesTheEventLineGets500AndItsRedeliveryIsAnsweredOnce() throws InterruptedException {
		String user = user();
		rig.model.reply("Answered after the redelivery");
		String body = FakeLine.body(rig.line.text(FakeLine.user(user), "queue me please"));
		int modelCalls = rig.model.requests().size();
		rig.sqs.refuseSends(true);
		JsonNode refused;
		try {
			refused = rig.post(body);
			assertThat(rig.sqs.refusedSends()).isPositive();
		}
		finally {
			rig.sqs.refuseSends(false);
		}

		assertThat(refused.path("statusCode").asInt()).as(refused.toString()).isEqualTo(500);
		assertThat(refused.path("body").asText()).contains("deliver it again");
		assertThat(messages.eventsKept(rig.table, "queue me please")).isEqualTo(1);
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).isEmpty();

		// LINE's redelivery of the same event (same webhookEventId, same signature)
		JsonNode redelivered = rig.post(body);

		assertThat(redelivered.path("statusCode").asInt()).isEqualTo(200);
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).as("queued once").hasSize(1);
		assertThat(messages.eventsKept(rig.table, "queue me please")).as("not kept twice").isEqualTo(1);

		assertThat(rig.pollOnce(LambdaRig.QUEUE)).hasSize(1);

		assertThat(rig.line.sentTo(user)).singleElement()
			.satisfies(sent -> assertThat(sent.texts()).containsExactly("Answered after the redelivery"));
		assertThat(rig.model.requests()).hasSize(modelCalls + 1);
		assertThat(messages.questionsStored(rig.table, "queue me please")).isEqualTo(1);
		assertThat(messages.answerState(rig.table, "queue me please")).isEqualTo("answered");

		assertThat(rig.post(body).path("statusCode").asInt()).as("a further redelivery").isEqualTo(200);
		assertThat(rig.pollOnce(LambdaRig.QUEUE)).hasSize(1);
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).isEmpty();
		assertThat(rig.model.requests()).hasSize(modelCalls + 1);
		assertThat(rig.line.sentTo(user)).hasSize(1);
		assertThat(messages.questionsStored(rig.table, "queue me please")).isEqualTo(1);
	}

	/**
	 * The worker's first attempt dies after the model answered and the answer was stored,
	 * in the delivery path (LINE fails the reply once, 500): the message is reported
	 * failed and comes again. Its redeliveries never ask the model again; the answer
	 * reaches the user once (by push: the reply token was tried).
	 */
	@Test
	void aWorkerThatFailedAfterTheModelAnsweredNeverAsksAgainAndAnswersOnce() throws InterruptedException {
		String user = user();
		rig.model.reply("Asked once, shown once");
		rig.post(FakeLine.body(rig.line.text(FakeLine.user(user), "fail after the model")));
		int modelCalls = rig.model.requests().size();
		rig.line.failReplies(1);

		List<FakeSqs.Message> first = rig.pollOnce(LambdaRig.QUEUE);

		assertThat(first).hasSize(1);
		assertThat(rig.model.requests()).hasSize(modelCalls + 1);
		assertThat(messages.answerState(rig.table, "fail after the model")).as("the answer is stored")
			.isEqualTo("answered");
		assertThat(rig.line.sentTo(user)).isEmpty();
		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).as("its turn handed to the queue, to be tried again").hasSize(1);

		// SQS gives the message out again at once (before the delivery's pause is over)
		rig.sqs.expireVisibility(LambdaRig.QUEUE);
		rig.pollOnce(LambdaRig.QUEUE);

		assertThat(rig.model.requests()).as("the stored answer is not asked for again").hasSize(modelCalls + 1);
		assertThat(rig.line.sentTo(user)).hasSizeLessThanOrEqualTo(1);

		// and again once it has gone out (here the delivery's own retry may send it
		// first)
		awaitSent(user);
		rig.sqs.expireVisibility(LambdaRig.QUEUE);
		rig.pollOnce(LambdaRig.QUEUE);

		assertThat(rig.sqs.messages(LambdaRig.QUEUE)).isEmpty();
		assertThat(rig.sqs.messages(LambdaRig.QUEUE + "-dlq")).isEmpty();
		assertThat(rig.line.sentTo(user)).singleElement().satisfies(sent -> {
			assertThat(sent.how()).isEqualTo("push");
			assertThat(sent.texts()).containsExactly("Asked once, shown once");
		});
		assertThat(rig.model.requests()).hasSize(modelCalls + 1);
	}

	private List<io.switchboard.fakes.FakeHttpServer.RecordedRequest> pushRequestsTo(String user) {
		return rig.line.requestsTo("/v2/bot/message/push")
			.stream()
			.filter(request -> user.equals(request.json().path("to").asText()))
			.toList();
	}

	/** Waits (at most 20 s) for the delivery's own retry to ask LINE again. */
	private void awaitPushRequests(String user, int count) throws InterruptedException {
		for (int i = 0; i < 200 && pushRequestsTo(user).size() < count; i++) {
			Thread.sleep(100);
		}
		assertThat(pushRequestsTo(user)).hasSizeGreaterThanOrEqualTo(count);
	}

	private void awaitSent(String user) throws InterruptedException {
		for (int i = 0; i < 200 && rig.line.sentTo(user).isEmpty(); i++) {
			Thread.sleep(100);
		}
		assertThat(rig.line.sentTo(user)).isNotEmpty();
	}

	/**
	 * Waits (at most 20 s) for the queue to hold {@code count} messages: a recovery sweep
	 * of one of the containers may be handing the turn over just then.
	 */
	private void awaitQueued(int count) throws InterruptedException {
		for (int i = 0; i < 200 && rig.sqs.messages(LambdaRig.QUEUE).size() < count; i++) {
			Thread.sleep(100);
		}
	}

	private static String sha256(byte[] bytes) {
		try {
			return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (java.security.NoSuchAlgorithmException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	@Test
	void secretsComeFromSsmDecryptedOncePerContainer() {
		// each function read its own once as it started, never per call; the webhook
		// only the channel secret
		assertThat(rig.ssm.reads()).isEqualTo(2);
		assertThat(rig.ssm.requests()).allSatisfy(request -> {
			assertThat(request.json().path("WithDecryption").asBoolean()).isTrue();
			assertThat(request.header("x-amz-target")).isEqualTo("AmazonSSM.GetParameters");
		});
		assertThat(rig.ssm.requests()).extracting(request -> request.json().path("Names").size())
			.containsExactlyInAnyOrder(1, 3);
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
