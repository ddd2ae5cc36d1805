/**
 * Channels: one adapter per place people chat (the web page, LINE, Discord, Slack). A
 * channel only translates: it verifies, de-duplicates and normalizes inbound messages for
 * the assistant and renders the assistant's events with its platform's components.
 */
package io.switchboard.channel;
