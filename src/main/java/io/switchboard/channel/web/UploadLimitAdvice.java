package io.switchboard.channel.web;

import java.util.Map;

import org.springframework.boot.autoconfigure.web.servlet.MultipartProperties;
import org.springframework.util.unit.DataSize;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/**
 * An upload over {@code spring.servlet.multipart.max-file-size} is refused before any
 * controller runs, so it is answered here: a 413 with a message the page shows.
 */
@RestControllerAdvice
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
class UploadLimitAdvice {

	private final MultipartProperties multipart;

	UploadLimitAdvice(MultipartProperties multipart) {
		this.multipart = multipart;
	}

	@ExceptionHandler(MaxUploadSizeExceededException.class)
	ResponseEntity<Map<String, String>> tooLarge(MaxUploadSizeExceededException tooLarge) {
		return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("error", "The upload is too large: the limit is " + limit(multipart.getMaxFileSize()) + "."));
	}

	/** A size as people write it: 10 MB, 512 KB. */
	static String limit(DataSize size) {
		long bytes = size.toBytes();
		if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
			return size.toMegabytes() + " MB";
		}
		if (bytes >= 1024 && bytes % 1024 == 0) {
			return size.toKilobytes() + " KB";
		}
		return bytes + " bytes";
	}

}
