/**
 * Channels: one adapter per place people chat (the web page, LINE, Discord, Slack), each
 * a nested module. A channel only translates: it verifies, de-duplicates and normalizes
 * inbound messages for the assistant and renders the assistant's events with its
 * platform's components. What they share sits here: the
 * {@link io.switchboard.channel.ChannelInbox}, which takes each platform event in once
 * and processes it durably in the background.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Channels")
package io.switchboard.channel;
