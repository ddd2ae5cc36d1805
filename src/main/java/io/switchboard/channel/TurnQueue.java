package io.switchboard.channel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Decides which chat turns run now, in memory, without a thread per waiting turn. Two
 * rules:
 * <ul>
 * <li>a <em>lane</em> (one user in one place) runs one turn at a time, in the order its
 * turns arrived, so a user's messages are answered in the order they were sent;</li>
 * <li>a <em>provider</em> runs at most its {@code max-concurrent} turns; turns beyond
 * that wait in a queue that takes each waiting user's next turn in turn (round robin), so
 * one user's burst never holds up everybody else.</li>
 * </ul>
 * Different users' lanes never wait for each other except at a full provider. Starting a
 * turn and telling a waiting one how many are ahead happen outside the lock.
 */
final class TurnQueue {

	/**
	 * One turn to run.
	 *
	 * @param user whose turn it is, for fairness
	 */
	record Ticket(long turn, String lane, long user, String provider, LiveAnswer live) {
	}

	private final ToIntFunction<String> limits;

	private final Consumer<Ticket> starter;

	private final Map<String, ArrayDeque<Ticket>> lanes = new HashMap<>();

	private final Map<String, Gate> gates = new HashMap<>();

	/**
	 * @param limits how many turns a provider may run at once
	 * @param starter starts a turn (on a thread of its own); it must call
	 * {@link #finished} when the turn is over
	 */
	TurnQueue(ToIntFunction<String> limits, Consumer<Ticket> starter) {
		this.limits = limits;
		this.starter = starter;
	}

	/** Adds a turn: it runs when its lane and its provider let it. */
	void submit(Ticket ticket) {
		List<Runnable> after = new ArrayList<>(1);
		synchronized (this) {
			ArrayDeque<Ticket> lane = lanes.computeIfAbsent(ticket.lane(), key -> new ArrayDeque<>());
			lane.addLast(ticket);
			if (lane.size() == 1) {
				admit(ticket, after);
			}
		}
		after.forEach(Runnable::run);
	}

	/** A turn is over: the next of its lane and the next its provider may run go on. */
	void finished(Ticket ticket) {
		List<Runnable> after = new ArrayList<>(2);
		synchronized (this) {
			Gate gate = gates.get(ticket.provider());
			if (gate != null) {
				gate.running--;
				Ticket next = gate.next();
				if (next != null) {
					gate.running++;
					after.add(() -> starter.accept(next));
				}
				if (gate.running == 0 && gate.waiting.isEmpty()) {
					gates.remove(ticket.provider());
				}
			}
			ArrayDeque<Ticket> lane = lanes.get(ticket.lane());
			if (lane != null) {
				lane.remove(ticket);
				if (lane.isEmpty()) {
					lanes.remove(ticket.lane());
				}
				else {
					admit(lane.peekFirst(), after);
				}
			}
		}
		after.forEach(Runnable::run);
	}

	/** Turns running now for a provider (for metrics and tests). */
	synchronized int running(String provider) {
		Gate gate = gates.get(provider);
		return gate == null ? 0 : gate.running;
	}

	/** Turns waiting for a provider (for metrics and tests). */
	synchronized int waiting(String provider) {
		Gate gate = gates.get(provider);
		return gate == null ? 0 : gate.size();
	}

	/** The head of a lane goes to its provider: runs at once, or waits its turn there. */
	private void admit(Ticket ticket, List<Runnable> after) {
		Gate gate = gates.computeIfAbsent(ticket.provider(), key -> new Gate());
		if (gate.running < Math.max(1, limits.applyAsInt(ticket.provider()))) {
			gate.running++;
			after.add(() -> starter.accept(ticket));
			return;
		}
		int ahead = gate.enqueue(ticket);
		after.add(() -> ticket.live().queued(ahead));
	}

	/**
	 * One provider's running count and its waiting turns, by user in round-robin order.
	 */
	private static final class Gate {

		int running;

		/** Users with waiting turns, in the order they are served next. */
		final LinkedHashMap<Long, ArrayDeque<Ticket>> waiting = new LinkedHashMap<>();

		/**
		 * Queues a turn at its user's back; returns how many turns will start before it.
		 */
		int enqueue(Ticket ticket) {
			ArrayDeque<Ticket> mine = waiting.computeIfAbsent(ticket.user(), key -> new ArrayDeque<>());
			int rank = mine.size(); // my earlier turns go first
			mine.addLast(ticket);
			// each other user's turns, round by round: those before me in the order get
			// rank + 1 rounds before mine, those after get rank
			int ahead = rank;
			boolean beforeMe = true;
			for (Map.Entry<Long, ArrayDeque<Ticket>> user : waiting.entrySet()) {
				if (user.getKey() == ticket.user()) {
					beforeMe = false;
					continue;
				}
				ahead += Math.min(user.getValue().size(), beforeMe ? rank + 1 : rank);
			}
			return ahead;
		}

		/** The next user's next turn; that user goes to the back of the order. */
		Ticket next() {
			Iterator<Map.Entry<Long, ArrayDeque<Ticket>>> users = waiting.entrySet().iterator();
			if (!users.hasNext()) {
				return null;
			}
			Map.Entry<Long, ArrayDeque<Ticket>> first = users.next();
			Ticket next = first.getValue().pollFirst();
			users.remove();
			if (!first.getValue().isEmpty()) {
				waiting.put(first.getKey(), first.getValue());
			}
			return next;
		}

		int size() {
			return waiting.values().stream().mapToInt(ArrayDeque::size).sum();
		}

	}

}
