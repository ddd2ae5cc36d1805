package io.switchboard.llm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;

/**
 * LangChain4j's HTTP client interface, done entirely on the calling thread with
 * {@link Http}. LangChain4j's own JDK client streams on a pool thread, which would hold a
 * second thread per answer and hand pieces out on it; this one parses the event stream on
 * the caller's thread, so every streaming callback arrives there, in order, and the call
 * returns when the stream has ended.
 *
 * <p>
 * Two more reasons it exists: the read timeout bounds every read, so a stream that goes
 * silent midway fails instead of hanging, and error answers keep their
 * {@code Retry-After} header (LangChain4j's {@code HttpException} drops headers).
 */
public final class BlockingHttpClient implements HttpClient {

	private final Duration connectTimeout;

	private final Duration readTimeout;

	private final AnswerCheck check;

	private BlockingHttpClient(Builder builder) {
		this.connectTimeout = builder.connectTimeout;
		this.readTimeout = builder.readTimeout;
		this.check = builder.check;
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Looks at each successful answer body, or each streamed event's data, and may turn
	 * it into a failure: some vendors report errors and blocked prompts inside a 200
	 * answer.
	 */
	@FunctionalInterface
	public interface AnswerCheck {

		AnswerCheck NONE = body -> Optional.empty();

		Optional<RuntimeException> reject(String body);

	}

	@Override
	public SuccessfulHttpResponse execute(HttpRequest request) {
		try {
			Http.Answer answer = send(request);
			if (!answer.successful()) {
				throw failure(answer);
			}
			byte[] body;
			try (InputStream in = answer.body()) {
				body = in.readAllBytes();
			}
			Optional<RuntimeException> rejected = check.reject(new String(body, StandardCharsets.UTF_8));
			if (rejected.isPresent()) {
				throw rejected.get();
			}
			return SuccessfulHttpResponse.builder()
				.statusCode(answer.status())
				.headers(answer.headers())
				.body(body)
				.build();
		}
		catch (SocketTimeoutException timeout) {
			throw new TimeoutException(timeout);
		}
		catch (IOException broken) {
			throw new UncheckedIOException(broken);
		}
	}

	@Override
	public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
		CheckedListener checked = new CheckedListener(listener, check);
		try {
			Http.Answer answer = send(request);
			if (!answer.successful()) {
				checked.onError(failure(answer));
				return;
			}
			checked
				.onOpen(SuccessfulHttpResponse.builder().statusCode(answer.status()).headers(answer.headers()).build());
			try (InputStream body = answer.body()) {
				// blocks until the stream ends, calling back on this thread
				parser.parse(body, checked);
			}
			if (!checked.failed) {
				listener.onClose();
			}
		}
		catch (IOException | RuntimeException failure) {
			checked.onError(failure);
		}
	}

	private Http.Answer send(HttpRequest request) throws IOException {
		Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
		if (headers.keySet().stream().noneMatch("Accept"::equalsIgnoreCase)) {
			headers.put("Accept", List.of("application/json, text/event-stream"));
		}
		byte[] body = request.body() == null ? null : request.body().getBytes(StandardCharsets.UTF_8);
		return Http.send(URI.create(request.url()), request.method().name(), headers, body, connectTimeout,
				readTimeout);
	}

	private static HttpStatusException failure(Http.Answer answer) {
		return new HttpStatusException(answer.status(), answer.text(), answer.header("retry-after"));
	}

	/**
	 * Passes events on after the {@link AnswerCheck}, and remembers a failure so that a
	 * broken stream is not also reported as complete.
	 */
	private static final class CheckedListener implements ServerSentEventListener {

		private final ServerSentEventListener delegate;

		private final AnswerCheck check;

		private boolean failed;

		CheckedListener(ServerSentEventListener delegate, AnswerCheck check) {
			this.delegate = delegate;
			this.check = check;
		}

		@Override
		public void onOpen(SuccessfulHttpResponse response) {
			delegate.onOpen(response);
		}

		@Override
		public void onEvent(ServerSentEvent event) {
			throw new IllegalStateException("the parser must call onEvent(event, context)");
		}

		@Override
		public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
			if (failed) {
				return;
			}
			Optional<RuntimeException> rejected = check.reject(event.data());
			if (rejected.isPresent()) {
				onError(rejected.get());
				context.parsingHandle().cancel();
				return;
			}
			delegate.onEvent(event, context);
		}

		@Override
		public void onError(Throwable failure) {
			if (failed) {
				return;
			}
			failed = true;
			delegate
				.onError(failure instanceof SocketTimeoutException timeout ? new TimeoutException(timeout) : failure);
		}

		@Override
		public void onClose() {
			delegate.onClose();
		}

	}

	/** Carries the connection settings LangChain4j's model builders ask for. */
	public static final class Builder implements HttpClientBuilder {

		private Duration connectTimeout = Duration.ofSeconds(10);

		private Duration readTimeout = Duration.ofSeconds(120);

		private AnswerCheck check = AnswerCheck.NONE;

		private Builder() {
		}

		@Override
		public Duration connectTimeout() {
			return connectTimeout;
		}

		@Override
		public Builder connectTimeout(Duration timeout) {
			if (timeout != null) {
				this.connectTimeout = timeout;
			}
			return this;
		}

		@Override
		public Duration readTimeout() {
			return readTimeout;
		}

		@Override
		public Builder readTimeout(Duration timeout) {
			if (timeout != null) {
				this.readTimeout = timeout;
			}
			return this;
		}

		public Builder check(AnswerCheck check) {
			this.check = check;
			return this;
		}

		@Override
		public BlockingHttpClient build() {
			return new BlockingHttpClient(this);
		}

	}

}
