/**
 * Voice: voice messages turned into text through an OpenAI-compatible
 * {@code /audio/transcriptions} endpoint, their audio kept with the transcript.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Voice")
package io.switchboard.voice;
