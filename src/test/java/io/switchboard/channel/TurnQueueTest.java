package io.switchboard.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which turns run when: one at a time per lane, at most a provider's limit at once, the
 * waiting ones taken one per user in turn, each told how many are ahead of it.
 */
class TurnQueueTest {

	/** Started turns in the order they started; "ahead" counts told to waiting ones. */
	final List<Long> started = new ArrayList<>();

	final Map<Long, Integer> ahead = new ConcurrentHashMap<>();

	final TurnQueue queue = new TurnQueue(provider -> provider.equals("narrow") ? 2 : 100, ticket -> {
		synchronized (started) {
			started.add(ticket.turn());
		}
	});

	final Map<Long, TurnQueue.Ticket> tickets = new ConcurrentHashMap<>();

	TurnQueue.Ticket ticket(long turn, String lane, long user, String provider) {
		return tickets.computeIfAbsent(turn, id -> new TurnQueue.Ticket(turn, lane, user, provider, new LiveAnswer() {
			@Override
			public void queued(int count) {
				ahead.put(turn, count);
			}

			@Override
			public void accept(io.switchboard.assistant.ReplyEvent event) {
			}
		}));
	}

	@Test
	void aLaneRunsOneTurnAtATimeInOrder() {
		TurnQueue.Ticket first = ticket(1, "alice", 1, "wide");
		TurnQueue.Ticket second = ticket(2, "alice", 1, "wide");
		TurnQueue.Ticket third = ticket(3, "alice", 1, "wide");
		queue.submit(first);
		queue.submit(second);
		queue.submit(third);
		assertThat(started).containsExactly(1L);

		queue.finished(first);
		assertThat(started).containsExactly(1L, 2L);
		queue.finished(second);
		assertThat(started).containsExactly(1L, 2L, 3L);
	}

	@Test
	void differentLanesRunSideBySide() {
		queue.submit(ticket(1, "alice", 1, "wide"));
		queue.submit(ticket(2, "bob", 2, "wide"));
		queue.submit(ticket(3, "alice in a group", 1, "wide"));
		assertThat(started).containsExactly(1L, 2L, 3L);
		assertThat(queue.running("wide")).isEqualTo(3);
	}

	@Test
	void aFullProviderTakesEachWaitingUsersNextTurnInTurn() {
		TurnQueue.Ticket a1 = ticket(1, "a1", 1, "narrow");
		TurnQueue.Ticket a2 = ticket(2, "a2", 1, "narrow");
		queue.submit(a1);
		queue.submit(a2);
		// alice's burst in three more places, then bob and carol once each
		queue.submit(ticket(3, "a3", 1, "narrow"));
		queue.submit(ticket(4, "a4", 1, "narrow"));
		queue.submit(ticket(5, "a5", 1, "narrow"));
		queue.submit(ticket(6, "b1", 2, "narrow"));
		queue.submit(ticket(7, "c1", 3, "narrow"));
		assertThat(started).containsExactly(1L, 2L);
		assertThat(queue.waiting("narrow")).isEqualTo(5);
		// what each was told when it joined the queue
		assertThat(ahead).containsEntry(3L, 0).containsEntry(4L, 1).containsEntry(5L, 2);
		assertThat(ahead.get(6L)).as("bob waits behind alice's first only").isEqualTo(1);
		assertThat(ahead.get(7L)).as("carol waits behind alice's and bob's first").isEqualTo(2);

		queue.finished(a1);
		queue.finished(a2);
		assertThat(started).containsExactly(1L, 2L, 3L, 6L);
		queue.finished(tickets.get(3L));
		assertThat(started).containsExactly(1L, 2L, 3L, 6L, 7L);
	}

}
