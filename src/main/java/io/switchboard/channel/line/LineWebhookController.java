package io.switchboard.channel.line;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * LINE's webhook on the server: reads the body (refusing one larger than allowed before
 * reading it) and hands the call to the {@link LineWebhook}.
 */
@RestController
@ConditionalOnLineChannel
class LineWebhookController {

	static final String PLATFORM = LineCalls.PLATFORM;

	private final LineWebhook webhook;

	LineWebhookController(LineWebhook webhook) {
		this.webhook = webhook;
	}

	@PostMapping(path = "${switchboard.line.webhook-path:/line/webhook}", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<String> receive(@RequestHeader(name = "x-line-signature", required = false) String signature,
			HttpServletRequest request) throws IOException {
		long limit = webhook.maxBodySize();
		byte[] body;
		if (signature == null || signature.isBlank() || request.getContentLengthLong() > limit) {
			body = new byte[request.getContentLengthLong() > limit ? (int) limit + 1 : 0];
		}
		else {
			try (InputStream in = request.getInputStream()) {
				body = in.readNBytes((int) limit + 1);
			}
		}
		LineWebhook.Answer answer = webhook.receive(signature, body, request.getRemoteAddr());
		return ResponseEntity.status(answer.status()).contentType(MediaType.APPLICATION_JSON).body(answer.body());
	}

}
