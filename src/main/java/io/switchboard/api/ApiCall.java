package io.switchboard.api;

/**
 * One call through the API as it is recorded.
 *
 * @param model the model that answered (a fallback's name when one did)
 * @param upstream the deployment that answered: provider and upstream model id
 * @param latencyMillis from the request's arrival to its last byte
 * @param overheadMicros the gateway's own time: before the upstream was called and
 * between the upstream's answer and ours
 * @param status the HTTP status the client got
 * @param at epoch milliseconds
 * @param tokensCached the part of {@code tokensIn} the upstream read from its prompt
 * cache (billed at the model's cached-input price)
 * @param charged whether the call is usage, counted in the ledger and against the key's
 * limits: an answer that came, and a tool loop's answer that failed after rounds that
 * were spent (which has tokens and, on a free model, no cost); never another failure.
 * Kept with the call ({@code api_calls.charged}): a key's daily tokens and monthly spend
 * are summed from the charged calls
 */
record ApiCall(long keyId, long userId, String model, String upstream, int tokensIn, int tokensOut, long costNanos,
		int latencyMillis, int overheadMicros, int status, boolean streamed, long at, int tokensCached,
		boolean charged) {

	/** A call charged when it came (200). */
	ApiCall(long keyId, long userId, String model, String upstream, int tokensIn, int tokensOut, long costNanos,
			int latencyMillis, int overheadMicros, int status, boolean streamed, long at, int tokensCached) {
		this(keyId, userId, model, upstream, tokensIn, tokensOut, costNanos, latencyMillis, overheadMicros, status,
				streamed, at, tokensCached, status == 200);
	}

	/**
	 * A call without input read from the upstream's prompt cache, charged when it came.
	 */
	ApiCall(long keyId, long userId, String model, String upstream, int tokensIn, int tokensOut, long costNanos,
			int latencyMillis, int overheadMicros, int status, boolean streamed, long at) {
		this(keyId, userId, model, upstream, tokensIn, tokensOut, costNanos, latencyMillis, overheadMicros, status,
				streamed, at, 0);
	}

}
