package io.switchboard.channel.line;

/**
 * How far a LINE delivery got: kept after each call, so a repeated send goes on from
 * there instead of sending again.
 *
 * @param replyTried the reply token was used (or tried): a reply token takes one call, so
 * a repeat pushes instead
 * @param calls calls LINE took (up to five messages each)
 */
record LineRefs(boolean replyTried, int calls) {

	static final LineRefs NONE = new LineRefs(false, 0);

}
