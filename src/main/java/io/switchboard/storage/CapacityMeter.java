package io.switchboard.storage;

import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;

/**
 * Adds up the capacity every DynamoDB call consumed, as DynamoDB itself reports it (each
 * call asks for it): the metrics {@code switchboard.dynamodb.capacity{kind=read|write}}
 * show what the table costs, and {@link #consumed()} lets a benchmark take the difference
 * around one chat turn.
 */
public final class CapacityMeter {

	private final DoubleAdder read = new DoubleAdder();

	private final DoubleAdder write = new DoubleAdder();

	private final Counter readCounter;

	private final Counter writeCounter;

	CapacityMeter(MeterRegistry registry) {
		this.readCounter = Counter.builder("switchboard.dynamodb.capacity")
			.tag("kind", "read")
			.description("DynamoDB read capacity units consumed")
			.register(registry);
		this.writeCounter = Counter.builder("switchboard.dynamodb.capacity")
			.tag("kind", "write")
			.description("DynamoDB write capacity units consumed")
			.register(registry);
	}

	void reads(ConsumedCapacity consumed) {
		double units = units(consumed);
		read.add(units);
		readCounter.increment(units);
	}

	void writes(ConsumedCapacity consumed) {
		double units = units(consumed);
		write.add(units);
		writeCounter.increment(units);
	}

	void reads(List<ConsumedCapacity> consumed) {
		if (consumed != null) {
			consumed.forEach(this::reads);
		}
	}

	void writes(List<ConsumedCapacity> consumed) {
		if (consumed != null) {
			consumed.forEach(this::writes);
		}
	}

	/** Everything consumed since start-up. */
	public Capacity consumed() {
		return new Capacity(read.sum(), write.sum());
	}

	private static double units(ConsumedCapacity consumed) {
		return consumed == null || consumed.capacityUnits() == null ? 0 : consumed.capacityUnits();
	}

}
