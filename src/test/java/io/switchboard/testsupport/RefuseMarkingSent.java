package io.switchboard.testsupport;

import java.util.concurrent.atomic.AtomicBoolean;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Lets a test make DynamoDB refuse to mark deliveries sent, as a busy or briefly
 * unreachable table would after the platform took the answer: the DynamoDB counterpart of
 * the SQL trigger in the channel contract. The AWS SDK loads it into every client of the
 * test JVM (listed in
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors} on the test class
 * path); it does nothing until {@link #refuse} is called. The request never reaches
 * dynalite: the client sees the failure a real table's would give.
 */
public final class RefuseMarkingSent implements ExecutionInterceptor {

	private static final AtomicBoolean refusing = new AtomicBoolean();

	private static final AttributeValue SENT = AttributeValue.fromS("sent");

	/** Refuses from now until {@link #lift}. */
	public static void refuse() {
		refusing.set(true);
	}

	public static void lift() {
		refusing.set(false);
	}

	@Override
	public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
		SdkRequest request = context.request();
		if (refusing.get() && request instanceof UpdateItemRequest update && update.hasExpressionAttributeValues()
				&& update.expressionAttributeValues().containsValue(SENT)) {
			throw DynamoDbException.builder().message("database busy (test)").statusCode(500).build();
		}
	}

}
