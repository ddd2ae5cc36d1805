package io.switchboard.image;

import io.switchboard.media.MediaRef;

/**
 * One of a job's result images: candidates 1 to 4, or the single image of an upscale
 * (index 1).
 */
public record Candidate(int index, MediaRef image) {
}
