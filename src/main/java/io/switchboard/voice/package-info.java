/**
 * Voice: voice messages turned into text through an OpenAI-compatible
 * {@code /audio/transcriptions} endpoint, their audio kept with the transcript; and
 * answers spoken aloud through {@code /audio/speech} for people who ask for it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Voice")
package io.switchboard.voice;
