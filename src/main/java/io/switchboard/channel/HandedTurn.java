package io.switchboard.channel;

import java.util.Objects;

/**
 * A chat turn whose question is stored (with its turn and its held delivery) and that is
 * to run in another process: what a {@link TurnHandoff} carries, and all a worker needs
 * to run it with {@link HandedOverTurns}.
 *
 * @param turn the turn's row
 * @param answer the pending answer it settles
 * @param delivery the held delivery that shows the answer
 * @param platform the channel it came in on
 * @param lane the user and place whose turns run in order
 * @param user the asking user
 * @param provider the model provider it calls
 * @param holder the node that held the turn when it handed it over, whose hold the worker
 * takes on; null in a hand-over written before holders were carried (the worker then
 * waits for that hold to run out)
 */
public record HandedTurn(long turn, long answer, long delivery, String platform, String lane, long user,
		String provider, String holder) {

	public HandedTurn {
		Objects.requireNonNull(platform, "platform");
		Objects.requireNonNull(lane, "lane");
		Objects.requireNonNull(provider, "provider");
	}

	static HandedTurn of(TurnStore.Row row, String holder) {
		return new HandedTurn(row.id(), row.answerId(), row.deliveryId(), row.platform(), row.lane(), row.userId(),
				row.provider(), holder);
	}

	TurnStore.Row row(int attempts) {
		return new TurnStore.Row(turn, answer, delivery, platform, lane, user, provider, attempts);
	}

}
