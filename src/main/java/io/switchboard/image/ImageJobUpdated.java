package io.switchboard.image;

/**
 * Published after every change of a job (created, submitted, progress, succeeded, failed,
 * cancelled), after the change is committed. Channels listen and render it for the job's
 * origin.
 */
public record ImageJobUpdated(ImageJob job) {
}
