package io.switchboard.api;

/**
 * What one call to one upstream deployment came to: an answer the client has had (whole,
 * cut short or refused), or a failure before anything reached the client, which another
 * attempt may still mend.
 */
sealed interface Attempt {

	/**
	 * The client has its answer.
	 *
	 * @param status the HTTP status the client got (499 when it went away, 502 when the
	 * upstream's answer broke off)
	 * @param overheadNanos the gateway's own time up to the response headers
	 * @param upstreamFault whether the answer shows the deployment failing (a cut body or
	 * stream), which its circuit breaker counts
	 * @param tokensCached the part of {@code tokensIn} the upstream read from its prompt
	 * cache, as it reported it
	 * @param charged whether its tokens are charged to the key: an answer that came
	 * (200), and one of the gateway's tool loop that failed after rounds that were spent;
	 * never another failure
	 */
	record Answered(int status, int tokensIn, int tokensOut, String text, long overheadNanos, boolean streamed,
			boolean upstreamFault, int tokensCached, boolean charged) implements Attempt {

		/** An answer charged when it came (200). */
		Answered(int status, int tokensIn, int tokensOut, String text, long overheadNanos, boolean streamed,
				boolean upstreamFault, int tokensCached) {
			this(status, tokensIn, tokensOut, text, overheadNanos, streamed, upstreamFault, tokensCached,
					status == 200);
		}

		/** An answer without input read from the upstream's prompt cache. */
		Answered(int status, int tokensIn, int tokensOut, String text, long overheadNanos, boolean streamed,
				boolean upstreamFault) {
			this(status, tokensIn, tokensOut, text, overheadNanos, streamed, upstreamFault, 0);
		}

		static Answered refused(int status, boolean streamed, long overheadNanos) {
			return new Answered(status, 0, 0, "", overheadNanos, streamed, false);
		}

	}

	/**
	 * Nothing reached the client; the deployment failed in a way worth another try.
	 *
	 * @param retryAfterSeconds what the upstream's {@code Retry-After} asked, 0 when it
	 * said nothing
	 * @param detail what happened, for the log and the client's error message
	 */
	record Failed(Kind kind, long retryAfterSeconds, String detail) implements Attempt {
	}

	/** The kinds of retriable failure, each answered to the client in its own words. */
	enum Kind {

		/** HTTP 429. */
		RATE_LIMITED,
		/** HTTP 5xx. */
		SERVER_ERROR,
		/** No answer within the provider's timeout. */
		TIMEOUT,
		/** The connection could not be made or was refused. */
		UNREACHABLE

	}

}
