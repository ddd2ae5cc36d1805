/**
 * Media: image bytes stored once per content (keyed by their sha256), checked to be real
 * images, and served over signed, expiring links.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Media")
package io.switchboard.media;
