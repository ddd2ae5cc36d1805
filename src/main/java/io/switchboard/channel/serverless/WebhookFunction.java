package io.switchboard.channel.serverless;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.switchboard.channel.HandedOverTurns;
import io.switchboard.channel.TurnHandoff;
import io.switchboard.channel.line.LineWebhook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook function: LINE's call as API Gateway's HTTP API hands it over (payload
 * format 2.0), taken in by the same {@link LineWebhook} the server uses. The turns it
 * begins go to SQS (see {@link SqsTurnHandoff}); replies the intake makes at once (to a
 * command) are sent before the function returns, since it is frozen after. When SQS
 * refuses a turn, the call is answered 500 rather than 200 with the turn lost: LINE
 * delivers the event again, which hands the stored turn over.
 */
final class WebhookFunction implements Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

	private static final Logger log = LoggerFactory.getLogger(WebhookFunction.class);

	static final String NOT_QUEUED = "{\"message\":\"the message is stored but could not be queued; deliver the event again\"}";

	private final LineWebhook webhook;

	private final HandedOverTurns turns;

	private final ServerlessProperties properties;

	WebhookFunction(LineWebhook webhook, HandedOverTurns turns, ServerlessProperties properties) {
		this.webhook = webhook;
		this.turns = turns;
		this.properties = properties;
	}

	@Override
	public APIGatewayV2HTTPResponse apply(APIGatewayV2HTTPEvent event) {
		byte[] body = body(event);
		String signature = header(event.getHeaders(), "x-line-signature");
		String from = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
				? event.getRequestContext().getHttp().getSourceIp() : "?";
		LineWebhook.Answer answer;
		try {
			answer = webhook.receive(signature, body, from);
		}
		catch (TurnHandoff.Failed failed) {
			// never 200 with the turn lost: LINE delivers the event again (webhook
			// redelivery on), and as its key was taken in the question is not stored
			// twice; the redelivery hands the turn over
			log.error("{}; answering 500 so that LINE delivers the event again", failed.getMessage());
			answer = new LineWebhook.Answer(500, NOT_QUEUED);
		}
		// what the intake sent at once (a command's reply) goes out before the freeze
		turns.awaitSends(properties.sendWait());
		return APIGatewayV2HTTPResponse.builder()
			.withStatusCode(answer.status())
			.withHeaders(Map.of("content-type", "application/json"))
			.withBody(answer.body())
			.build();
	}

	private static byte[] body(APIGatewayV2HTTPEvent event) {
		String body = event.getBody();
		if (body == null) {
			return new byte[0];
		}
		// the signature is over the bytes LINE sent: decode, never re-encode
		return event.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
	}

	/** HTTP API passes header names in lower case; be lenient all the same. */
	private static String header(Map<String, String> headers, String name) {
		if (headers == null) {
			return null;
		}
		return headers.entrySet()
			.stream()
			.filter(header -> header.getKey().equalsIgnoreCase(name))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse(null);
	}

}
