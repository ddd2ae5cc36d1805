package io.switchboard.conversation;

/**
 * A fact about a user that compaction proposed to remember, waiting for the user to
 * confirm it: only a confirmed one goes into the memory.
 *
 * @param code short and stable (from the fact's text), what the confirm button names
 */
public record FactSuggestion(String code, String text) {
}
