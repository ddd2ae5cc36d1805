/**
 * The web channel: sign-in and accounts, the chat page with streamed answers, image
 * upload and Markdown rendering, and the admin pages.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Web channel")
package io.switchboard.channel.web;
