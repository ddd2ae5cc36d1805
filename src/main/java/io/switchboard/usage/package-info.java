/**
 * Usage: a ledger of requests, tokens and cost per user, model and UTC day, summed as
 * calls are recorded so that reports never scan the message history.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Usage")
package io.switchboard.usage;
