/**
 * Image generation in the Midjourney way on any backend: a prompt gives four candidates;
 * one can be upscaled, varied strongly or subtly, or the four rerolled, again and again.
 * Jobs are recorded before a provider is called, patched as it reports, published as
 * {@link io.switchboard.image.ImageJobUpdated} events, and survive restarts.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Images")
package io.switchboard.image;
