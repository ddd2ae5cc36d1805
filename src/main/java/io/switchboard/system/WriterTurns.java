package io.switchboard.system;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one writer's turn, handed from thread to thread in two queues: urgent writers (a
 * person's message being taken in, its webhook waiting for the answer) go before the
 * others (turns finishing, deliveries marked sent, housekeeping), each queue first come
 * first served. A plain fair lock served them in arrival order, so under load a webhook
 * waited behind every background write queued before it, and its 200 took as long as the
 * queue. The others are never starved: after {@link #URGENT_IN_A_ROW} urgent turns in a
 * row while one of them waits, the oldest of them goes next.
 * <p>
 * The turn is handed over, not competed for: the releasing thread names the next owner
 * and wakes it, so a thread that arrives meanwhile cannot barge in. Reentrant for the
 * thread that holds it; interrupts are kept for later, as {@code ReentrantLock.lock}
 * does.
 */
final class WriterTurns {

	static final int URGENT_IN_A_ROW = 16;

	private final ReentrantLock state = new ReentrantLock();

	private final Deque<Thread> urgent = new ArrayDeque<>();

	private final Deque<Thread> others = new ArrayDeque<>();

	private Thread owner;

	private int holds;

	private int urgentInARow;

	/** Waits for the turn; {@code urgent} writers go first. */
	void lock(boolean urgentWriter) {
		Thread me = Thread.currentThread();
		state.lock();
		try {
			if (owner == me) {
				holds++;
				return;
			}
			if (owner == null) {
				owner = me;
				holds = 1;
				return;
			}
			(urgentWriter ? urgent : others).addLast(me);
		}
		finally {
			state.unlock();
		}
		boolean interrupted = false;
		while (!owns(me)) {
			LockSupport.park(this);
			interrupted |= Thread.interrupted();
		}
		if (interrupted) {
			me.interrupt();
		}
	}

	/** Gives the turn back, or to the next writer. */
	void unlock() {
		state.lock();
		try {
			if (owner != Thread.currentThread()) {
				throw new IllegalMonitorStateException("this thread does not hold the writer's turn");
			}
			if (--holds > 0) {
				return;
			}
			Thread next = next();
			owner = next;
			holds = next == null ? 0 : 1;
			if (next != null) {
				LockSupport.unpark(next);
			}
		}
		finally {
			state.unlock();
		}
	}

	/** Writers waiting for their turn now. */
	int waiting() {
		state.lock();
		try {
			return urgent.size() + others.size();
		}
		finally {
			state.unlock();
		}
	}

	private Thread next() {
		if (!urgent.isEmpty() && (others.isEmpty() || urgentInARow < URGENT_IN_A_ROW)) {
			urgentInARow++;
			return urgent.pollFirst();
		}
		urgentInARow = 0;
		return others.pollFirst();
	}

	private boolean owns(Thread thread) {
		state.lock();
		try {
			return owner == thread;
		}
		finally {
			state.unlock();
		}
	}

}
