/**
 * The OpenAI-compatible API: {@code /v1/chat/completions}, {@code /v1/models} and
 * {@code /v1/images/generations} for any OpenAI client, behind per-user API keys with
 * limits reserved before each call, routing over weighted upstream deployments with
 * circuit breakers, retries and fallbacks, and every call metered into the usage ledger.
 */
@org.springframework.modulith.ApplicationModule(displayName = "OpenAI-compatible API")
package io.switchboard.api;
