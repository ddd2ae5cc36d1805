package io.switchboard.llm;

import java.util.function.Consumer;

/**
 * One vendor's chat protocol. Implementations only translate: {@link ChatModels} adds
 * retries, metrics and model resolution around them.
 *
 * <p>
 * Both methods block the calling thread until the answer is complete; callers run them on
 * virtual threads. Failures are thrown as {@link LlmException}s, split into retriable and
 * non-retriable ones.
 */
public interface ChatProvider {

	/** The configured provider name, e.g. {@code openai} or {@code local-ollama}. */
	String name();

	/** Sends the request and returns the whole answer. */
	ChatResponse chat(ChatRequest request);

	/**
	 * Sends the request as a stream, handing each piece of text to {@code onText} as it
	 * arrives, in order, on the calling thread, and returns the whole answer with its
	 * usage at the end.
	 */
	ChatResponse stream(ChatRequest request, Consumer<String> onText);

}
