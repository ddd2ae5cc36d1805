package io.switchboard.channel;

import java.util.function.Consumer;

/**
 * One delivery handed to its platform's {@link ChannelRenderer}.
 *
 * @param id the delivery's id, stable across attempts (e.g. the seed of LINE's retry key)
 * @param content what to show, as it stands now
 * @param address where, in the platform's own terms
 * @param refs what an earlier attempt or the live view posted (to edit, not post again);
 * {@code null} when nothing yet
 * @param shown what the platform shows now, as the renderer last said; {@code null} when
 * nothing yet
 * @param attempts earlier attempts that failed or were cut short
 * @param checkpoint keeps refs at once, in the middle of a send of several calls, so that
 * a send cut short and repeated goes on from there
 */
public record Outgoing<A, R>(long id, Outbound content, A address, R refs, String shown, int attempts,
		Consumer<R> checkpoint) {
}
