/**
 * Optional moderation: chat messages and image prompts checked through an
 * OpenAI-compatible {@code /moderations} endpoint before any model sees them, on the
 * platforms where it is turned on.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Moderation")
package io.switchboard.moderation;
