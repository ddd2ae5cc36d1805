package io.switchboard.channel.serverless;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.channel.HandedTurn;
import io.switchboard.channel.TurnHandoff;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Hands a begun turn to the worker function: one SQS message whose body is the
 * {@link HandedTurn} as JSON. SQS delivers it at least once; the worker's run is harmless
 * when repeated.
 */
final class SqsTurnHandoff implements TurnHandoff {

	private final SqsClient sqs;

	private final String queueUrl;

	private final ObjectMapper json;

	SqsTurnHandoff(SqsClient sqs, String queueUrl, ObjectMapper json) {
		this.sqs = sqs;
		this.queueUrl = queueUrl;
		this.json = json;
	}

	@Override
	public void handOver(HandedTurn turn) {
		sqs.sendMessage(message -> message.queueUrl(queueUrl).messageBody(write(turn)));
	}

	private String write(HandedTurn turn) {
		try {
			return json.writeValueAsString(turn);
		}
		catch (JsonProcessingException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

}
