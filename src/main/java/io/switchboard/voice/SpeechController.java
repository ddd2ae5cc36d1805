package io.switchboard.voice;

import java.time.Duration;
import java.util.regex.Pattern;

import io.switchboard.media.MediaLinks;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Serves spoken answers over signed, expiring links, without a sign-in: LINE fetches an
 * audio message's file from its URL, and the chat page's player plays it.
 */
@Controller
class SpeechController {

	private static final Pattern CANONICAL_EXPIRY = Pattern.compile("[1-9][0-9]{0,18}");

	private final Speech speech;

	private final MediaLinks links;

	SpeechController(Speech speech, MediaLinks links) {
		this.speech = speech;
		this.links = links;
	}

	/** The server-relative signed link to one piece of a spoken answer. */
	static String path(Spoken spoken) {
		return path(spoken.answer(), spoken.piece());
	}

	static String path(long answer, int piece) {
		return "/voice/speech/" + answer + "/" + piece + ".mp3";
	}

	@GetMapping("/voice/speech/{answer:[0-9]{1,18}}/{piece:[0-9]{1,3}}.mp3")
	ResponseEntity<byte[]> piece(@PathVariable long answer, @PathVariable int piece,
			@RequestParam(defaultValue = "0") String exp, @RequestParam(required = false) String sig) {
		String path = path(answer, piece);
		if (!CANONICAL_EXPIRY.matcher(exp).matches() || !links.verifyPath(path, Long.parseLong(exp), sig)) {
			return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
		}
		return speech.piece(answer, piece)
			.map(spoken -> ResponseEntity.ok()
				.contentType(MediaType.parseMediaType(spoken.mimeType()))
				// kept once per answer: the bytes behind a link never change
				.cacheControl(CacheControl.maxAge(Duration.ofDays(1)).cachePrivate().immutable())
				.header("X-Content-Type-Options", "nosniff")
				.body(spoken.bytes()))
			.orElseGet(() -> ResponseEntity.notFound().build());
	}

}
