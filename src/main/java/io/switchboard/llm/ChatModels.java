package io.switchboard.llm;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Service;

/**
 * The one entry point for calling chat models: picks the provider of a model, retries
 * retriable failures with backoff (only before the first piece of an answer has been
 * handed out, so nobody sees text twice), and records metrics.
 */
@Service
public class ChatModels {

	private static final long MAX_RETRY_AFTER_MILLIS = 30_000;

	private final Map<String, ChatProvider> providers;

	private final RetryConfig retryConfig;

	private final MeterRegistry meters;

	public ChatModels(ChatProviders providers, LlmProperties properties, MeterRegistry meters) {
		this.providers = providers.byName();
		this.meters = meters;
		long initialMillis = properties.retry().initialBackoff().toMillis();
		this.retryConfig = RetryConfig.custom()
			.maxAttempts(properties.retry().maxAttempts())
			.retryOnException(LlmException.Retriable.class::isInstance)
			.intervalBiFunction((Integer attempt,
					io.github.resilience4j.core.functions.Either<Throwable, Object> outcome) -> waitMillis(attempt,
							outcome.isLeft() ? outcome.getLeft() : null, initialMillis))
			.build();
	}

	/**
	 * The wait before retrying after failed attempt number {@code attempt}: what a rate
	 * limit asked for, capped so that one answer never waits long, else a backoff that
	 * doubles each time.
	 */
	static long waitMillis(int attempt, Throwable failure, long initialMillis) {
		if (failure instanceof LlmException.RateLimited limited && limited.retryAfterSeconds() > 0) {
			return Math.min(limited.retryAfterSeconds() * 1000, MAX_RETRY_AFTER_MILLIS);
		}
		return initialMillis << (attempt - 1);
	}

	/** Calls the request's model and returns its whole answer. */
	public ChatResponse chat(ChatRequest request) {
		ChatProvider provider = providerFor(request.model());
		return call(request, () -> provider.chat(request));
	}

	/**
	 * Streams the request's model's answer to {@code onText} piece by piece on this
	 * thread and returns the whole answer. A retriable failure after the first piece is
	 * not retried.
	 */
	public ChatResponse stream(ChatRequest request, Consumer<String> onText) {
		ChatProvider provider = providerFor(request.model());
		AtomicBoolean started = new AtomicBoolean();
		Consumer<String> tracking = text -> {
			if (!text.isEmpty()) {
				started.set(true);
				try {
					onText.accept(text);
				}
				catch (RuntimeException consumerBroke) {
					throw new ConsumerFailed(consumerBroke);
				}
			}
		};
		return call(request, () -> {
			try {
				return provider.stream(request, tracking);
			}
			catch (LlmException.Retriable failure) {
				if (started.get()) {
					throw new AnswerInterrupted(failure);
				}
				throw failure;
			}
		});
	}

	private ChatResponse call(ChatRequest request, Supplier<ChatResponse> attempt) {
		ModelSpec model = request.model();
		Retry retry = Retry.of(model.provider() + "/" + model.name(), retryConfig);
		Timer.Sample sample = Timer.start(meters);
		String outcome = "success";
		try {
			ChatResponse response = Retry.decorateSupplier(retry, attempt).get();
			meters.counter("switchboard.llm.tokens", "model", model.name(), "direction", "in")
				.increment(response.usage().inputTokens());
			meters.counter("switchboard.llm.tokens", "model", model.name(), "direction", "out")
				.increment(response.usage().outputTokens());
			return response;
		}
		catch (AnswerInterrupted interrupted) {
			outcome = interrupted.getCause().getClass().getSimpleName();
			throw interrupted.cause();
		}
		catch (ConsumerFailed consumerFailed) {
			// the caller's own failure (its client went away, say) is not the
			// model's: it goes back unchanged, not as ProviderUnavailable
			outcome = "consumer_failed";
			throw consumerFailed.cause();
		}
		catch (LlmException failure) {
			outcome = failure.getClass().getSimpleName();
			throw failure;
		}
		catch (RuntimeException unexpected) {
			outcome = "error";
			throw new LlmException.ProviderUnavailable(model.provider(), 0,
					"unexpected failure: " + unexpected.getMessage(), unexpected);
		}
		finally {
			sample.stop(meters.timer("switchboard.llm.calls", "model", model.name(), "provider", model.provider(),
					"outcome", outcome));
		}
	}

	private ChatProvider providerFor(ModelSpec model) {
		ChatProvider provider = providers.get(model.provider());
		if (provider == null) {
			throw new IllegalStateException("no provider named " + model.provider() + " for model " + model.name());
		}
		return provider;
	}

	/** Carries an exception thrown by {@code onText} past the retry and the adapter. */
	private static final class ConsumerFailed extends RuntimeException {

		ConsumerFailed(RuntimeException cause) {
			super(cause.getMessage(), cause, false, false);
		}

		RuntimeException cause() {
			return (RuntimeException) getCause();
		}

	}

	/** Carries a retriable failure past the retry once text has been handed out. */
	private static final class AnswerInterrupted extends RuntimeException {

		AnswerInterrupted(LlmException.Retriable cause) {
			super(cause.getMessage(), cause, false, false);
		}

		LlmException.Retriable cause() {
			return (LlmException.Retriable) getCause();
		}

	}

}
