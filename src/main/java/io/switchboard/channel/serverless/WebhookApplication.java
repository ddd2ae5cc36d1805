package io.switchboard.channel.serverless;

import java.time.Clock;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.channel.ChannelProperties;
import io.switchboard.channel.line.LineCalls;
import io.switchboard.storage.DynamoTable;
import io.switchboard.storage.StorageProperties;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.cloud.function.context.FunctionRegistration;
import org.springframework.cloud.function.context.catalog.FunctionTypeUtils;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The webhook function's application ({@code MAIN_CLASS}): only what a LINE call needs
 * before its 200 (see {@link WebhookFunction}), its beans registered here, one by one. As
 * an {@link ApplicationContextInitializer} it is started by Spring Cloud Function's
 * functional application: no classpath scanning, no auto-configuration, no configuration
 * classes to parse, so a cold container answers sooner (docs/benchmarks.md, "Serverless
 * edition"). The settings are the server's ({@code switchboard.line.*},
 * {@code switchboard.storage.dynamodb.*}, {@code switchboard.serverless.*}), the secret
 * from SSM as for the worker.
 */
public final class WebhookApplication implements ApplicationContextInitializer<GenericApplicationContext> {

	@Override
	public void initialize(GenericApplicationContext context) {
		Environment environment = context.getEnvironment();
		LambdaApplication.quietAdapterLog(LoggingSystem.get(context.getClassLoader()));
		// each group of settings bound once, and checked before any bean is made
		StorageProperties.Dynamo dynamo = storage(environment).dynamodb();
		ServerlessProperties queue = ServerlessProperties.from(environment);
		context.registerBean("webhookClients", AwsClients.class,
				() -> new AwsClients(DynamoTable.client(dynamo), queue.newClient()));
		context.registerBean("webhookTable", DynamoTable.class,
				() -> DynamoTable.open(context.getBean(AwsClients.class).dynamo(), dynamo, new SimpleMeterRegistry()));
		context.registerBean("webhookFunction", WebhookFunction.class, () -> {
			ChannelProperties channel = Binder.get(environment)
				.bindOrCreate("switchboard.channel", ChannelProperties.class);
			return new WebhookFunction(LineCalls.from(environment),
					new KeptEvents(context.getBean(DynamoTable.class), channel.keep()),
					context.getBean(AwsClients.class).sqs(), queue.queueUrl().toString(), Clock.systemUTC());
		});
		// functional registration names the function's types itself (nothing is found by
		// reflection)
		context.registerBean("webhook", FunctionRegistration.class,
				() -> new FunctionRegistration<>(context.getBean(WebhookFunction.class), "webhook")
					.type(FunctionTypeUtils.functionType(APIGatewayV2HTTPEvent.class, APIGatewayV2HTTPResponse.class)));
		context.registerBean("priming", Priming.class, () -> {
			WebhookFunction webhook = context.getBean(WebhookFunction.class);
			return new Priming(webhook::prime, context.getBean(DynamoTable.class));
		});
	}

	/**
	 * The function's two AWS clients, one bean closed as one. Not a bean each: Spring
	 * looks through every method a bean's class declares for lifecycle annotations, and
	 * an SDK client's class declares one per operation of its service, naming every
	 * request and response class; reading them loaded some 400 classes the function never
	 * uses, about a tenth of its cold start.
	 */
	record AwsClients(DynamoDbClient dynamo, SqsClient sqs) implements AutoCloseable {

		@Override
		public void close() {
			try (sqs) {
				dynamo.close();
			}
		}

	}

	private static StorageProperties storage(Environment environment) {
		StorageProperties storage = Binder.get(environment)
			.bindOrCreate("switchboard.storage", StorageProperties.class);
		if (!storage.dynamo()) {
			throw new IllegalStateException(
					"the webhook function keeps events in DynamoDB: set switchboard.storage.type=dynamodb");
		}
		return storage;
	}

}
