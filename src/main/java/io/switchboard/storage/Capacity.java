package io.switchboard.storage;

/** DynamoDB capacity units consumed: reads and writes, as DynamoDB reports them. */
public record Capacity(double readUnits, double writeUnits) {

	public Capacity minus(Capacity earlier) {
		return new Capacity(readUnits - earlier.readUnits, writeUnits - earlier.writeUnits);
	}

}
