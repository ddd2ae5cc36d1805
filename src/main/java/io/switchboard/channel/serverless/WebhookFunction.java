package io.switchboard.channel.serverless;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.channel.line.LineCalls;
import io.switchboard.channel.line.LineWebhook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The webhook function: LINE's call as API Gateway's HTTP API hands it over (payload
 * format 2.0). It does what must happen before LINE gets its 200 and nothing more, as
 * LINE recommends: the call is read and checked as the server reads it
 * ({@link LineCalls}: signature, size, readable events; nothing is kept otherwise), each
 * event is kept on arrival ({@link KeptEvents}) and put on the queue, and the call is
 * answered. The worker takes the events in through the server's intake, which
 * de-duplicates them by {@code webhookEventId}, and answers them. Its application is
 * {@link WebhookApplication}: no database but the table, no model, no chat core, so a
 * container starts quickly.
 * <p>
 * When the table or the queue refuses, the call is answered 500, never 200 with the event
 * lost: LINE delivers it again (webhook redelivery on). A redelivered event is queued
 * again, as its first queueing may be what failed; the intake takes each key in once.
 */
final class WebhookFunction implements Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

	private static final Logger log = LoggerFactory.getLogger(WebhookFunction.class);

	static final String NOT_QUEUED = "{\"message\":\"the event could not be kept and queued; deliver it again\"}";

	private static final ObjectMapper JSON = new ObjectMapper();

	private final LineCalls calls;

	private final KeptEvents kept;

	private final SqsClient sqs;

	private final String queueUrl;

	private final Clock clock;

	WebhookFunction(LineCalls calls, KeptEvents kept, SqsClient sqs, String queueUrl, Clock clock) {
		this.calls = calls;
		this.kept = kept;
		this.sqs = sqs;
		this.queueUrl = queueUrl;
		this.clock = clock;
	}

	@Override
	public APIGatewayV2HTTPResponse apply(APIGatewayV2HTTPEvent event) {
		String from = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
				? event.getRequestContext().getHttp().getSourceIp() : "?";
		LineWebhook.Answer answer = switch (calls.read(header(event.getHeaders(), "x-line-signature"), body(event),
				from)) {
			case LineCalls.Refused refused -> refused.answer();
			case LineCalls.Signed signed -> keepAndQueue(signed);
		};
		return APIGatewayV2HTTPResponse.builder()
			.withStatusCode(answer.status())
			.withHeaders(Map.of("content-type", "application/json"))
			.withBody(answer.body())
			.build();
	}

	private LineWebhook.Answer keepAndQueue(LineCalls.Signed call) {
		long now = clock.millis();
		for (LineCalls.SignedEvent event : call.events()) {
			try {
				if (!kept.keep(LineCalls.PLATFORM, event.id(), event.json(), now)) {
					log.info("LINE delivered event {} again; queueing it again", event.id());
				}
				String message = JSON.writeValueAsString(new QueuedEvent(LineCalls.PLATFORM, event.id(), event.json()));
				sqs.sendMessage(send -> send.queueUrl(queueUrl).messageBody(message));
			}
			catch (RuntimeException | JsonProcessingException failure) {
				log.error(
						"LINE event {} could not be kept and queued ({}); answering 500 so that LINE delivers it again",
						event.id(), failure.toString());
				return new LineWebhook.Answer(500, NOT_QUEUED);
			}
		}
		return new LineWebhook.Answer(200, "{}");
	}

	/**
	 * SnapStart's priming: LINE's verification call read as a real one is, and one read
	 * of the table (the SDK's signer, marshallers and HTTP client); nothing is written or
	 * queued.
	 */
	void prime() {
		calls.readVerificationCall();
		kept.find(LineCalls.PLATFORM, "prime");
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
