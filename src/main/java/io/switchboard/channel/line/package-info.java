/**
 * The LINE channel: a signed webhook whose events are taken in once and handled in the
 * background; chat with photo questions, image generation with buttons, and replies by
 * reply token or by push, through the official LINE SDK. Off unless a channel secret and
 * access token are configured.
 */
@org.springframework.modulith.ApplicationModule(displayName = "LINE")
package io.switchboard.channel.line;
