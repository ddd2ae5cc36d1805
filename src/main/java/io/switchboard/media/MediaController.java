package io.switchboard.media;

import java.time.Duration;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Serves stored images to whoever holds a valid signed link. */
@RestController
class MediaController {

	private final MediaStore store;

	private final MediaLinks links;

	private static final java.util.regex.Pattern CANONICAL_EXPIRY = java.util.regex.Pattern.compile("[1-9][0-9]{0,17}");

	MediaController(MediaStore store, MediaLinks links) {
		this.store = store;
		this.links = links;
	}

	@GetMapping("/media/{sha256:[0-9a-f]{64}}")
	ResponseEntity<byte[]> image(@PathVariable String sha256, @RequestParam(defaultValue = "0") String exp,
			@RequestParam(required = false) String sig) {
		// only the expiry exactly as signed: "0170..." or "+170..." would be the same
		// number under another spelling of a signed link
		if (!CANONICAL_EXPIRY.matcher(exp).matches() || !links.verify(sha256, Long.parseLong(exp), sig)) {
			return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
		}
		return store.load(sha256)
			.map(media -> ResponseEntity.ok()
				.contentType(MediaType.parseMediaType(media.ref().mimeType()))
				// content-addressed: the bytes behind a key never change
				.cacheControl(CacheControl.maxAge(Duration.ofDays(1)).cachePrivate().immutable())
				.header("X-Content-Type-Options", "nosniff")
				.body(media.bytes()))
			.orElseGet(() -> ResponseEntity.notFound().build());
	}

}
