package io.switchboard.llm.internal;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import io.switchboard.llm.LlmException;
import io.switchboard.llm.TokenCounter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How failures are translated when they do not come from a vendor's error answer; the
 * contract tests cover the answers themselves.
 */
class LangChain4jChatTest {

	private static final String KEY = "key-that-must-not-leak";

	private final LangChain4jChat chat = new LangChain4jChat(null, null,
			(status, body, retryAfter) -> new LlmException.InvalidRequest("p", status, "vendor said " + body),
			new Failures("p", KEY), new TokenCounter());

	@Test
	void anErrorAnswerAnywhereInTheChainGoesToTheVendor() {
		HttpStatusException answer = new HttpStatusException(418, "teapot", null);

		LlmException translated = chat.translate(new LangChain4jException("wrapped", new RuntimeException(answer)));

		assertThat(translated).isInstanceOf(LlmException.InvalidRequest.class)
			.hasMessage("vendor said teapot")
			.extracting(LlmException::httpStatus)
			.isEqualTo(418);
	}

	@Test
	void ourOwnFailuresPassThroughUnchanged() {
		LlmException.ContentFiltered filtered = new LlmException.ContentFiltered("p", 200, "blocked");

		assertThat(chat.translate(new LangChain4jException("wrapped", filtered))).isSameAs(filtered);
	}

	@Test
	void timeoutsAndBrokenConnectionsAreRetriable() {
		assertThat(chat.translate(new TimeoutException(new SocketTimeoutException("Read timed out"))))
			.isInstanceOf(LlmException.ProviderTimeout.class);
		assertThat(chat.translate(new UncheckedIOException(new ConnectException("Connection refused"))))
			.isInstanceOf(LlmException.ProviderUnavailable.class);
	}

	@Test
	void langChain4jsOwnClassificationIsKept() {
		assertThat(chat.translate(new RateLimitException("slow down"))).isInstanceOf(LlmException.RateLimited.class);
		assertThat(chat.translate(new AuthenticationException("who are you")))
			.isInstanceOf(LlmException.AuthenticationFailed.class);
		assertThat(chat.translate(new ContentFilteredException("no"))).isInstanceOf(LlmException.ContentFiltered.class);
		assertThat(chat.translate(new InvalidRequestException("bad"))).isInstanceOf(LlmException.InvalidRequest.class);
		assertThat(chat.translate(new ModelNotFoundException("gone"))).isInstanceOf(LlmException.InvalidRequest.class);
		assertThat(chat.translate(new InternalServerException("oops")))
			.isInstanceOf(LlmException.ProviderUnavailable.class);
	}

	@Test
	void anythingElseIsAnUnexpectedRetriableFailureWithoutTheKey() {
		IllegalStateException bug = new IllegalStateException("broken with " + KEY,
				new ArithmeticException("deeper, " + KEY));

		LlmException translated = chat.translate(bug);

		assertThat(translated).isInstanceOf(LlmException.ProviderUnavailable.class);
		assertThat(translated.getMessage()).doesNotContain(KEY).contains("[redacted]");
		// the cause keeps the class and stack trace for debugging, not the key
		assertThat(translated.getCause()).hasMessageContaining(IllegalStateException.class.getName())
			.hasMessageNotContaining(KEY);
		assertThat(translated.getCause().getStackTrace()).isEqualTo(bug.getStackTrace());
		assertThat(translated.getCause().getCause()).hasMessageNotContaining(KEY);
	}

}
