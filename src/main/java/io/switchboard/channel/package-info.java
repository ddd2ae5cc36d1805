/**
 * Channels: one adapter per place people chat (the web page, LINE, Discord, Slack), each
 * a nested module that only translates: it verifies its platform's events and hands them
 * to the {@link io.switchboard.channel.Intake} ("translate in"), and shows deliveries
 * with its platform's components through its
 * {@link io.switchboard.channel.ChannelRenderer} ("render out"). Everything between is
 * shared and lives here: de-duplication, storing each message on arrival, chat turns run
 * on virtual threads in per-user order within each provider's limit, recovery after a
 * crash, and the one delivery path with its retries.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Channels")
package io.switchboard.channel;
