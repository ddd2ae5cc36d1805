package io.switchboard.channel.serverless;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The webhook's application with a setting missing or wrong refuses to start, naming the
 * setting, before it takes any call (no AWS is reached: the clients connect only when
 * called).
 */
class WebhookApplicationTest {

	private static final Map<String, String> COMPLETE = Map.of("switchboard.storage.type", "dynamodb",
			"switchboard.storage.dynamodb.table", "switchboard", "switchboard.storage.dynamodb.region",
			"ap-northeast-1", "switchboard.serverless.queue-url",
			"https://sqs.ap-northeast-1.amazonaws.com/000000000000/turns", "switchboard.serverless.region",
			"ap-northeast-1", "switchboard.line.channel-secret", "secret", "aws.accessKeyId", "x",
			"aws.secretAccessKey", "y");

	@Test
	void startsWithTheSettingsTheTemplateGives() {
		try (GenericApplicationContext context = start(COMPLETE)) {
			assertThat(context.getBean(WebhookFunction.class)).isNotNull();
		}
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					switchboard.line.channel-secret    |             | switchboard.line.channel-secret is not set
					switchboard.storage.type           | jdbc        | set switchboard.storage.type=dynamodb
					switchboard.serverless.queue-url   |             | switchboard.serverless.queue-url and switchboard.serverless.region must be set
					switchboard.storage.dynamodb.table | not a table | is not a valid DynamoDB table name
					""")
	void aMissingOrWrongSettingIsNamed(String setting, String value, String message) {
		Map<String, String> settings = new java.util.HashMap<>(COMPLETE);
		if (value == null) {
			settings.remove(setting);
		}
		else {
			settings.put(setting, value);
		}
		assertThatThrownBy(() -> start(settings).close())
			.satisfies(failure -> assertThat(NestedExceptionUtils.getMostSpecificCause(failure).getMessage())
				.contains(message));
	}

	private static GenericApplicationContext start(Map<String, String> settings) {
		MockEnvironment environment = new MockEnvironment();
		settings.forEach(environment::setProperty);
		GenericApplicationContext context = new GenericApplicationContext();
		context.setEnvironment(environment);
		new WebhookApplication().initialize(context);
		context.refresh();
		return context;
	}

}
