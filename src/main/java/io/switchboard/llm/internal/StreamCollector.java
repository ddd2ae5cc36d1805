package io.switchboard.llm.internal;

import java.util.function.Consumer;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

/**
 * Bridges LangChain4j's streaming callbacks to our blocking contract. With
 * {@link BlockingHttpClient} every callback arrives on the calling thread while the
 * model's {@code chat} call is still running, so each piece is handed to {@code onText}
 * at once, in order, and the outcome is known when {@code chat} returns: no queue and no
 * second thread are needed.
 *
 * <p>
 * Only the first outcome counts: LangChain4j may report completion after a failure
 * (Gemini completes when the connection closes, even after an error).
 */
final class StreamCollector implements StreamingChatResponseHandler {

	private final Consumer<String> onText;

	private final Thread caller = Thread.currentThread();

	private final StringBuilder text = new StringBuilder();

	private ChatResponse completed;

	private Throwable failure;

	private Throwable consumerFailure;

	StreamCollector(Consumer<String> onText) {
		this.onText = onText;
	}

	@Override
	public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
		if (over()) {
			return;
		}
		if (Thread.currentThread() != caller) {
			// only BlockingHttpClient guarantees the caller's thread; anything else is a
			// wiring mistake, reported rather than handing text out on a foreign thread
			failure = new IllegalStateException("streamed text arrived on another thread: "
					+ "the LangChain4j model must be built with BlockingHttpClient");
			context.streamingHandle().cancel();
			return;
		}
		String piece = partial.text();
		text.append(piece);
		try {
			onText.accept(piece);
		}
		catch (RuntimeException | Error consumerBroke) {
			// LangChain4j would swallow it; keep it for the caller and stop reading
			consumerFailure = consumerBroke;
			context.streamingHandle().cancel();
		}
	}

	@Override
	public void onCompleteResponse(ChatResponse response) {
		if (!over()) {
			completed = response;
		}
	}

	@Override
	public void onError(Throwable error) {
		if (!over()) {
			failure = error;
		}
	}

	private boolean over() {
		return completed != null || failure != null || consumerFailure != null;
	}

	/** The text handed out so far, joined. */
	String text() {
		return text.toString();
	}

	/** The complete answer, or {@code null} when the stream did not complete. */
	ChatResponse completed() {
		return completed;
	}

	/** What broke the stream, or {@code null}. */
	Throwable failure() {
		return failure;
	}

	/** What {@code onText} threw, or {@code null}. */
	Throwable consumerFailure() {
		return consumerFailure;
	}

}
