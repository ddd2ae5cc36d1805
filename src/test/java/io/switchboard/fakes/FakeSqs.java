package io.switchboard.fakes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A fake of Amazon SQS in its wire format, as the AWS SDK for Java 2 (2.59) speaks it:
 * the AWS JSON 1.0 protocol ({@code POST /}, content type
 * {@code application/x-amz-json-1.0}, the operation in
 * {@code X-Amz-Target: AmazonSQS.SendMessage}, {@code ReceiveMessage},
 * {@code DeleteMessage}, {@code GetQueueAttributes}), with the MD5 digests of bodies the
 * SDK checks. Standard-queue semantics that matter to the serverless edition: a received
 * message is invisible for the visibility timeout and comes again after it unless
 * deleted, its {@code ApproximateReceiveCount} counts receives, and with a redrive policy
 * a message received more than {@code maxReceiveCount} times moves to the dead-letter
 * queue. Requests must be signed (AWS Signature Version 4, not recomputed). Tests act as
 * Lambda's event source mapping with {@link #receive} and {@link #delete}, and make time
 * pass with {@link #expireVisibility}.
 */
public final class FakeSqs extends FakeHttpServer {

	/** One message as kept. */
	public static final class Message {

		private final String id = UUID.randomUUID().toString();

		private final String body;

		private final long sentAt = System.currentTimeMillis();

		private int receives;

		private long invisibleUntil;

		private String receipt;

		Message(String body) {
			this.body = body;
		}

		public String id() {
			return id;
		}

		public String body() {
			return body;
		}

		public int receives() {
			return receives;
		}

		public String receipt() {
			return receipt;
		}

	}

	private final Map<String, List<Message>> queues = new LinkedHashMap<>();

	private final Map<String, String> deadLetters = new LinkedHashMap<>();

	private final Map<String, Integer> maxReceives = new LinkedHashMap<>();

	private final AtomicLong receipts = new AtomicLong();

	private volatile boolean refusingSends;

	private final java.util.concurrent.atomic.AtomicInteger refusedSends = new java.util.concurrent.atomic.AtomicInteger();

	private FakeSqs() {
	}

	/**
	 * A fake with one queue and its dead-letter queue ({@code <name>-dlq}).
	 * @param maxReceiveCount receives after which a message moves to the dead-letter
	 * queue
	 */
	public static FakeSqs start(String name, int maxReceiveCount) {
		FakeSqs sqs = new FakeSqs();
		sqs.queues.put(name, new ArrayList<>());
		sqs.queues.put(name + "-dlq", new ArrayList<>());
		sqs.deadLetters.put(name, name + "-dlq");
		sqs.maxReceives.put(name, maxReceiveCount);
		return sqs;
	}

	/** The queue's URL, as AWS gives it (account id and name in the path). */
	public String queueUrl(String name) {
		return uri() + "/000000000000/" + name;
	}

	/** Messages in a queue, visible or not. */
	public synchronized List<Message> messages(String name) {
		return List.copyOf(queue(name));
	}

	/**
	 * Receives up to {@code max} visible messages, as ReceiveMessage does: each becomes
	 * invisible for {@code visibility} and counts a receive; one received more than the
	 * queue's {@code maxReceiveCount} times moves to the dead-letter queue instead.
	 */
	public synchronized List<Message> receive(String name, int max, Duration visibility) {
		List<Message> queue = queue(name);
		long now = System.currentTimeMillis();
		List<Message> received = new ArrayList<>();
		for (Message message : List.copyOf(queue)) {
			if (received.size() >= max) {
				break;
			}
			if (message.invisibleUntil > now) {
				continue;
			}
			Integer limit = maxReceives.get(name);
			if (limit != null && message.receives >= limit) {
				queue.remove(message);
				message.invisibleUntil = 0;
				queue(deadLetters.get(name)).add(message);
				continue;
			}
			message.receives++;
			message.invisibleUntil = now + visibility.toMillis();
			message.receipt = message.id + "#" + receipts.incrementAndGet();
			received.add(message);
		}
		return received;
	}

	/** Queues a message as another sender's SendMessage would. */
	public synchronized void send(String name, String body) {
		queue(name).add(new Message(body));
	}

	/** Deletes a received message by its latest receipt handle; false when stale. */
	public synchronized boolean delete(String name, String receipt) {
		return queue(name).removeIf(message -> receipt.equals(message.receipt));
	}

	/**
	 * While on, SQS cannot take messages: every SendMessage answers 500
	 * {@code InternalError} (which the SDK retries, then gives up on) and nothing is
	 * queued.
	 */
	public void refuseSends(boolean refuse) {
		refusingSends = refuse;
	}

	/** SendMessage calls refused so far. */
	public int refusedSends() {
		return refusedSends.get();
	}

	/** Empties a queue, as PurgeQueue does (for a test's clean slate). */
	public synchronized void purge(String name) {
		queue(name).clear();
	}

	/** Makes every message of a queue visible now: the visibility timeout has passed. */
	public synchronized void expireVisibility(String name) {
		queue(name).forEach(message -> message.invisibleUntil = 0);
	}

	private List<Message> queue(String name) {
		List<Message> queue = queues.get(name);
		if (queue == null) {
			throw new IllegalArgumentException("no queue " + name);
		}
		return queue;
	}

	@Override
	protected Reply answer(RecordedRequest request) {
		String authorization = request.header("authorization");
		if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
			return error("MissingAuthenticationToken", "Request is missing Authentication Token");
		}
		String target = request.header("x-amz-target");
		if (!"POST".equals(request.method()) || target == null || !target.startsWith("AmazonSQS.")) {
			return error("UnsupportedOperation", "no AmazonSQS X-Amz-Target");
		}
		JsonNode body = request.json();
		String name = nameOf(body.path("QueueUrl").asText(""));
		synchronized (this) {
			if (name == null || !queues.containsKey(name)) {
				return error("QueueDoesNotExist", "The specified queue does not exist.");
			}
		}
		ObjectNode reply = Json.object();
		switch (target.substring("AmazonSQS.".length())) {
			case "SendMessage" -> {
				if (refusingSends) {
					refusedSends.incrementAndGet();
					return error(500, "InternalError", "We encountered an internal error. Please try again.");
				}
				String text = body.path("MessageBody").asText("");
				if (text.isEmpty()) {
					return error("MissingParameter", "The request must contain the parameter MessageBody.");
				}
				Message message = new Message(text);
				synchronized (this) {
					queue(name).add(message);
				}
				reply.put("MD5OfMessageBody", md5(text));
				reply.put("MessageId", message.id);
			}
			case "ReceiveMessage" -> {
				int max = Math.max(1, Math.min(10, body.path("MaxNumberOfMessages").asInt(1)));
				Duration visibility = Duration.ofSeconds(body.path("VisibilityTimeout").asInt(30));
				ArrayNode messages = reply.putArray("Messages");
				for (Message message : receive(name, max, visibility)) {
					ObjectNode item = messages.addObject();
					item.put("MessageId", message.id);
					item.put("ReceiptHandle", message.receipt);
					item.put("MD5OfBody", md5(message.body));
					item.put("Body", message.body);
					ObjectNode attributes = item.putObject("Attributes");
					attributes.put("ApproximateReceiveCount", Integer.toString(message.receives));
					attributes.put("SentTimestamp", Long.toString(message.sentAt));
				}
			}
			case "DeleteMessage" -> {
				String receipt = body.path("ReceiptHandle").asText("");
				if (!delete(name, receipt)) {
					return error("ReceiptHandleIsInvalid", "The input receipt handle is invalid.");
				}
			}
			case "GetQueueAttributes" -> {
				ObjectNode attributes = reply.putObject("Attributes");
				synchronized (this) {
					attributes.put("ApproximateNumberOfMessages", Integer.toString(queue(name).size()));
				}
			}
			default -> {
				return error("UnsupportedOperation", target + " is not supported by this fake");
			}
		}
		return new Reply.Whole(200, Map.of("Content-Type", "application/x-amz-json-1.0"),
				Json.write(reply).getBytes(StandardCharsets.UTF_8), Duration.ZERO);
	}

	private static String nameOf(String queueUrl) {
		int slash = queueUrl.lastIndexOf('/');
		return slash < 0 ? null : queueUrl.substring(slash + 1);
	}

	static String md5(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	private static Reply error(String code, String message) {
		return error(400, code, message);
	}

	private static Reply error(int status, String code, String message) {
		ObjectNode body = Json.object();
		body.put("__type", "com.amazonaws.sqs#" + code);
		body.put("message", message);
		return new Reply.Whole(status,
				Map.of("Content-Type", "application/x-amz-json-1.0", "x-amzn-query-error",
						code + (status >= 500 ? ";Receiver" : ";Sender")),
				Json.write(body).getBytes(StandardCharsets.UTF_8), Duration.ZERO);
	}

}
