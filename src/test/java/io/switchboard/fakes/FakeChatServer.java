package io.switchboard.fakes;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the chat vendor fakes ({@link FakeOpenAi}, {@link FakeAnthropic},
 * {@link FakeGemini}) have in common: a script told in vendor-neutral words (the answer
 * and how it is split, usage, delays, failures) that each subclass renders in its
 * vendor's real wire format.
 *
 * <p>
 * The default answer is deterministic and derived from the request: {@code "Echo: "}
 * followed by the last user message's text, streamed word by word.
 */
public abstract class FakeChatServer extends FakeHttpServer {

	/** Failures every vendor has, each rendered as that vendor reports it. */
	public enum Failure {

		/** HTTP 429 with the vendor's rate-limit error (retry after 1 second). */
		RATE_LIMITED,
		/** HTTP 500 with the vendor's internal-error body. */
		SERVER_ERROR,
		/** The vendor's "overloaded" answer (OpenAI 503, Anthropic 529, Gemini 503). */
		OVERLOADED,
		/** The vendor's answer to a wrong key (OpenAI/Anthropic 401, Gemini 401). */
		UNAUTHORIZED,
		/** The vendor's "prompt longer than the context window" answer (HTTP 400). */
		CONTEXT_TOO_LONG,
		/**
		 * The vendor's content filter: an error for OpenAI (Azure's 400
		 * {@code content_filter}) and Gemini (a 200 answer with a blocked prompt), a
		 * {@code refusal} stop reason for Anthropic.
		 */
		CONTENT_FILTERED

	}

	/**
	 * Tokens the fake reports as used.
	 *
	 * @param input every input token, cached ones included
	 * @param cached the part of {@code input} read from the (simulated) prompt cache
	 */
	public record Usage(int input, int output, int cached) {

		public Usage(int input, int output) {
			this(input, output, 0);
		}

	}

	/** A tool call the fake's model makes instead of answering. */
	public record ToolCall(String name, String arguments) {
	}

	/** A tool's result as the vendor received it. */
	public record ToolResult(String callId, String name, String text) {
	}

	/** An inline image as the vendor received it. */
	public record Image(String mimeType, byte[] data) {

		@Override
		public String toString() {
			return "Image[" + mimeType + ", " + data.length + " bytes]";
		}

	}

	/** What happens to the next streamed answer after its first piece. */
	private sealed interface Twist {

		record Hold(CountDownLatch release) implements Twist {
		}

		record Stall() implements Twist {
		}

		record Fail() implements Twist {
		}

		record Drop() implements Twist {
		}

		record Cut() implements Twist {
		}

	}

	private final String apiKey;

	private volatile String fixedReply;

	private volatile List<String> fixedPieces;

	private volatile Usage fixedUsage;

	private volatile Function<String, String> responder;

	private volatile boolean prefixCache;

	private volatile Function<String, List<Integer>> tokenizer;

	private List<Integer> previousPrompt = List.of();

	private volatile Duration pieceDelay = Duration.ZERO;

	private volatile Duration firstByteDelay = Duration.ZERO;

	/** How long the model "thinks" before answering a question, by its text. */
	private volatile Function<String, Duration> thinking = question -> Duration.ZERO;

	/** The question the request being answered on this thread asks. */
	private final ThreadLocal<String> asked = new ThreadLocal<>();

	private final Queue<Twist> twists = new ConcurrentLinkedQueue<>();

	private final Queue<String> nextReplies = new ConcurrentLinkedQueue<>();

	private final Queue<ToolCall> nextToolCalls = new ConcurrentLinkedQueue<>();

	private volatile ToolCall everyTime;

	protected FakeChatServer(String apiKey) {
		this.apiKey = apiKey;
	}

	/** Where a provider's {@code base-url} setting should point. */
	public abstract URI baseUrl();

	/** The key the fake accepts, or {@code null} when it accepts any. */
	public String apiKey() {
		return apiKey;
	}

	/** Answers every later request with this text, split into words when streamed. */
	public FakeChatServer reply(String text) {
		this.fixedReply = text;
		this.fixedPieces = null;
		return this;
	}

	/** Answers every later request with these pieces, streamed one per event. */
	public FakeChatServer replyInPieces(String... pieces) {
		this.fixedPieces = List.of(pieces);
		this.fixedReply = String.join("", pieces);
		return this;
	}

	/**
	 * Answers the next requests with these texts, one each, in order, before the fixed
	 * reply or the echo again (a script of structured answers, say).
	 */
	public FakeChatServer replyNext(String... texts) {
		nextReplies.addAll(List.of(texts));
		return this;
	}

	/**
	 * Asks for this tool in the next answer (in the vendor's tool-call format), with the
	 * arguments as JSON; calls queued together come in one answer each, in order.
	 */
	public FakeChatServer callToolNext(String name, String arguments) {
		nextToolCalls.add(new ToolCall(name, arguments));
		return this;
	}

	/** Asks for this tool in every answer: a model that never stops calling tools. */
	public FakeChatServer callToolEveryTime(String name, String arguments) {
		everyTime = new ToolCall(name, arguments);
		return this;
	}

	/**
	 * The tool call the next answer makes, or {@code null} when it answers in text; call
	 * once per answer.
	 */
	protected final ToolCall toolCallForThisAnswer() {
		ToolCall next = nextToolCalls.poll();
		return next != null ? next : everyTime;
	}

	/** The names of the tools a request offers. */
	public abstract List<String> toolNames(JsonNode request);

	/** The tool results a request carries, in order. */
	public abstract List<ToolResult> toolResults(JsonNode request);

	/** Goes back to echoing the last user message. */
	public FakeChatServer echo() {
		this.fixedReply = null;
		this.fixedPieces = null;
		this.responder = null;
		return this;
	}

	/**
	 * Answers every later request with what {@code byQuestion} makes of its last user
	 * message (a model that answers summaries one way and questions another, say).
	 */
	public FakeChatServer answerWith(Function<String, String> byQuestion) {
		this.responder = byQuestion;
		return this;
	}

	/** Reports these token counts instead of ones derived from the texts. */
	public FakeChatServer usage(int input, int output) {
		this.fixedUsage = new Usage(input, output);
		return this;
	}

	/**
	 * Reports these token counts, {@code cached} of the input read from the prompt cache,
	 * each in the vendor's own fields.
	 */
	public FakeChatServer usage(int input, int output, int cached) {
		this.fixedUsage = new Usage(input, output, cached);
		return this;
	}

	/**
	 * Simulates a provider's prefix cache: a prompt whose first N tokens are the previous
	 * prompt's first N is reported with those N cached (as OpenAI's automatic cache and
	 * Anthropic's breakpoints roughly behave). Tokens are words unless {@link #tokenizer}
	 * says otherwise.
	 */
	public FakeChatServer prefixCache(boolean on) {
		this.prefixCache = on;
		this.previousPrompt = List.of();
		return this;
	}

	/** How the fake splits prompts and answers into tokens (words by default). */
	public FakeChatServer tokenizer(Function<String, List<Integer>> tokenizer) {
		this.tokenizer = tokenizer;
		return this;
	}

	/** Waits this long before each streamed piece after the first. */
	public FakeChatServer pieceDelay(Duration delay) {
		this.pieceDelay = delay;
		return this;
	}

	/** Waits this long before the first byte of every answer. */
	public FakeChatServer firstByteDelay(Duration delay) {
		this.firstByteDelay = delay;
		return this;
	}

	/**
	 * Waits before the first byte of each answer as long as {@code byQuestion} says for
	 * its question (the last user message), at least the {@link #firstByteDelay}: a model
	 * that takes longer for some questions than for others.
	 */
	public FakeChatServer thinkingTime(Function<String, Duration> byQuestion) {
		this.thinking = byQuestion;
		return this;
	}

	/** Fails the next request as the vendor would. */
	public FakeChatServer failNext(Failure failure) {
		return failNext(1, failure);
	}

	/** Fails the next {@code times} requests as the vendor would, then answers again. */
	public FakeChatServer failNext(int times, Failure failure) {
		for (int i = 0; i < times; i++) {
			enqueue(request -> failure(failure, request, 1));
		}
		return this;
	}

	/**
	 * Answers the next request as usual and fails the one after it as the vendor would: a
	 * tool loop whose second round fails.
	 */
	public FakeChatServer failTheOneAfterNext(Failure failure) {
		enqueue(this::answer);
		enqueue(request -> failure(failure, request, 1));
		return this;
	}

	/** Rate-limits the next {@code times} requests, asking to retry after so long. */
	public FakeChatServer rateLimitNext(int times, long retryAfterSeconds) {
		for (int i = 0; i < times; i++) {
			enqueue(request -> failure(Failure.RATE_LIMITED, request, retryAfterSeconds));
		}
		return this;
	}

	/** Accepts the next request and never answers it. */
	public FakeChatServer hangNext() {
		enqueue(Reply.HANG);
		return this;
	}

	/**
	 * Makes the next streamed answer wait after its first piece until the test counts
	 * {@code release} down (see {@link #finishedReplies()}).
	 */
	public FakeChatServer holdNextStreamAfterFirstPiece(CountDownLatch release) {
		twists.add(new Twist.Hold(release));
		return this;
	}

	/** Makes the next streamed answer go silent after its first piece. */
	public FakeChatServer stallNextStreamAfterFirstPiece() {
		twists.add(new Twist.Stall());
		return this;
	}

	/**
	 * Makes the next streamed answer report the vendor's server error after one piece.
	 */
	public FakeChatServer failNextStreamAfterFirstPiece() {
		twists.add(new Twist.Fail());
		return this;
	}

	/** Makes the next streamed answer drop the connection after its first piece. */
	public FakeChatServer dropNextStreamAfterFirstPiece() {
		twists.add(new Twist.Drop());
		return this;
	}

	/**
	 * Makes the next streamed answer end cleanly after its first piece, without the
	 * vendor's end-of-answer events, as a proxy that gives up might.
	 */
	public FakeChatServer cutNextStreamAfterFirstPiece() {
		twists.add(new Twist.Cut());
		return this;
	}

	/** The newest request's body as JSON. */
	public JsonNode lastRequestJson() {
		return lastRequest().json();
	}

	/**
	 * The system prompt of a request, read from the vendor's field ({@code ""} when
	 * none).
	 */
	public abstract String systemPrompt(JsonNode request);

	/**
	 * The answer's token limit of a request, from the vendor's field, or {@code null}.
	 */
	public abstract Integer maxTokens(JsonNode request);

	/**
	 * The sampling temperature of a request, from the vendor's field, or {@code null}.
	 */
	public abstract Double temperature(JsonNode request);

	/** The inline images of a request, from the vendor's image parts, in order. */
	public abstract List<Image> images(JsonNode request);

	@Override
	public void reset() {
		super.reset();
		twists.clear();
		nextReplies.clear();
		echo();
		fixedUsage = null;
		nextToolCalls.clear();
		everyTime = null;
		prefixCache = false;
		tokenizer = null;
		previousPrompt = List.of();
		pieceDelay = Duration.ZERO;
		firstByteDelay = Duration.ZERO;
		thinking = question -> Duration.ZERO;
	}

	/** The vendor's answer to {@code failure}. */
	protected abstract Reply failure(Failure failure, RecordedRequest request, long retryAfterSeconds);

	/**
	 * The answer text for a request whose last user message says {@code lastUserText}.
	 */
	protected final String answerText(String lastUserText) {
		asked.set(lastUserText);
		String next = nextReplies.poll();
		if (next != null) {
			return next;
		}
		Function<String, String> byQuestion = responder;
		if (byQuestion != null) {
			return byQuestion.apply(lastUserText);
		}
		String fixed = fixedReply;
		return fixed != null ? fixed : "Echo: " + lastUserText;
	}

	/** How {@link #answerText} is split into streamed pieces. */
	protected final List<String> answerPieces(String answer) {
		List<String> pieces = fixedPieces;
		if (pieces != null && String.join("", pieces).equals(answer)) {
			return pieces;
		}
		// words with the space before them, so the pieces join back to the answer
		return Arrays.stream(answer.split("(?<=\\S)(?=\\s)")).filter(piece -> !piece.isEmpty()).toList();
	}

	/**
	 * The usage to report: scripted, or one token per word (or per the
	 * {@link #tokenizer}'s token), with the previous prompt's common prefix cached when
	 * the prefix cache is simulated.
	 */
	protected final Usage usage(String prompt, String answer) {
		Usage fixed = fixedUsage;
		if (fixed != null) {
			return fixed;
		}
		Function<String, List<Integer>> split = tokenizer;
		if (split == null && !prefixCache) {
			return new Usage(words(prompt), words(answer));
		}
		List<Integer> promptTokens = split == null ? wordTokens(prompt) : split.apply(prompt);
		int output = split == null ? words(answer) : split.apply(answer).size();
		int cached = 0;
		if (prefixCache) {
			synchronized (this) {
				int max = Math.min(promptTokens.size(), previousPrompt.size());
				while (cached < max && promptTokens.get(cached).equals(previousPrompt.get(cached))) {
					cached++;
				}
				previousPrompt = promptTokens;
			}
		}
		return new Usage(promptTokens.size(), output, cached);
	}

	private static List<Integer> wordTokens(String text) {
		String stripped = text == null ? "" : text.strip();
		return stripped.isEmpty() ? List.of(0) : Arrays.stream(stripped.split("\\s+")).map(String::hashCode).toList();
	}

	protected final Duration firstByteDelay() {
		String question = asked.get();
		Duration thought = question == null ? Duration.ZERO : thinking.apply(question);
		return thought.compareTo(firstByteDelay) > 0 ? thought : firstByteDelay;
	}

	/**
	 * Assembles a streamed answer: {@code opening} events, one event per piece (paused by
	 * {@link #pieceDelay}), then {@code closing} events, with the next scripted twist
	 * applied after the first piece. {@code midStreamError} is what the vendor sends when
	 * it fails mid-answer.
	 */
	protected final Reply.Stream stream(List<String> opening, List<String> pieceEvents, List<String> closing,
			List<String> midStreamError) {
		Twist twist = twists.poll();
		List<Step> steps = new ArrayList<>();
		opening.forEach(event -> steps.add(Step.send(event)));
		for (int i = 0; i < pieceEvents.size(); i++) {
			if (i > 0 && !pieceDelay.isZero()) {
				steps.add(new Step.Pause(pieceDelay));
			}
			steps.add(Step.send(pieceEvents.get(i)));
			if (i == 0 && twist != null) {
				switch (twist) {
					case Twist.Hold hold -> steps.add(new Step.Await(hold.release()));
					case Twist.Stall stall -> {
						steps.add(new Step.Stall());
						return Reply.Stream.events(steps).withFirstByteDelay(firstByteDelay());
					}
					case Twist.Fail fail -> {
						midStreamError.forEach(event -> steps.add(Step.send(event)));
						return Reply.Stream.events(steps).withFirstByteDelay(firstByteDelay());
					}
					case Twist.Drop drop -> {
						steps.add(new Step.Drop());
						return Reply.Stream.events(steps).withFirstByteDelay(firstByteDelay());
					}
					case Twist.Cut cut -> {
						return Reply.Stream.events(steps).withFirstByteDelay(firstByteDelay());
					}
				}
			}
		}
		closing.forEach(event -> steps.add(Step.send(event)));
		return Reply.Stream.events(steps).withFirstByteDelay(firstByteDelay());
	}

	/** {@code event: name} plus {@code data: json}, as one server-sent event. */
	protected static String event(String name, JsonNode data) {
		return (name == null ? "" : "event: " + name + "\n") + "data: " + Json.write(data) + "\n\n";
	}

	static int words(String text) {
		String stripped = text == null ? "" : text.strip();
		return stripped.isEmpty() ? 1 : stripped.split("\\s+").length;
	}

}
