package io.switchboard.image;

/** Where an image job is. */
public enum JobState {

	/** Recorded, waiting for a free slot (per-user and per-provider limits). */
	QUEUED,
	/** Sent to the provider, which has not started yet. */
	SUBMITTED,
	/** The provider is working; the job's progress says how far. */
	RUNNING, SUCCEEDED,
	/** Failed; the job's failure reason says why, in words a user can read. */
	FAILED, CANCELLED;

	public boolean finished() {
		return this == SUCCEEDED || this == FAILED || this == CANCELLED;
	}

}
