package io.switchboard.channel;

/**
 * What a platform took from one send.
 *
 * @param refs the platform's references to what it shows now (kept, so the next send
 * edits them), or {@code null}
 * @param shown what they show, in the renderer's own short terms (e.g. an image job's
 * state and progress), so a change that would show the same is not sent; or {@code null}
 */
public record Sent<R>(R refs, String shown) {
}
