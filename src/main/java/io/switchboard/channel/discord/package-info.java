/**
 * The Discord channel: a multi-user, multi-session bot on JDA. Messages in the channels
 * the bot reads and in DMs go to the assistant and are answered by editing a reply as the
 * model writes; {@code /user} and {@code /session} open panels with buttons and selects;
 * {@code /imagine} draws with the image module's jobs. One gateway connection per shard
 * runs across all nodes, held by a lease in the database.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Discord channel")
package io.switchboard.channel.discord;
