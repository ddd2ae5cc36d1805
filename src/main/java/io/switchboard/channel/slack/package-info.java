/**
 * The Slack channel: a question in a channel is answered in a thread under it, each
 * thread is one session, answers stream into a placeholder reply, commands work in
 * threads and as the {@code /switchboard} slash command, the App Home tab holds the
 * user's settings, and image jobs come with Block Kit buttons. Built on Bolt for Java,
 * over the HTTP Events API or Socket Mode.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Slack channel")
package io.switchboard.channel.slack;
