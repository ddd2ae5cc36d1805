package io.switchboard.api;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;

/** {@code POST /v1/images/generations}: waits for the image engine. */
@Component
class ImageGenerations {

	void generate(ApiCaller caller, byte[] body, HttpServletResponse response) {
		throw new OpenAiError(404, "Image generation is not available on this server yet.", "invalid_request_error",
				null, "unknown_url", 0);
	}

}
