package io.switchboard;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Switchboard: one server that connects chat platforms to generative AI and keeps every
 * conversation, image and cost in its own database.
 */
// Spring Cloud Function is on the classpath for the serverless edition's functions
// (channel.serverless.LambdaApplication), not for the server: its auto-configurations
// would
// add a function catalogue, endpoints and HTTP message handling the server does not use,
// and with them server-sent events lost Jackson's java.time support
@SpringBootApplication(
		excludeName = { "org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration",
				"org.springframework.cloud.function.cloudevent.CloudEventsFunctionExtensionConfiguration",
				"org.springframework.cloud.function.context.config.KotlinLambdaToFunctionAutoConfiguration",
				"org.springframework.cloud.function.context.config.FunctionsEndpointAutoConfiguration",
				"org.springframework.cloud.function.observability.ObservationAutoConfiguration",
				"org.springframework.cloud.function.web.flux.ReactorAutoConfiguration",
				"org.springframework.cloud.function.web.mvc.ReactorAutoConfiguration",
				"org.springframework.cloud.function.web.source.FunctionExporterAutoConfiguration",
				"org.springframework.cloud.function.adapter.aws.AWSCompanionAutoConfiguration" })
@ConfigurationPropertiesScan
public class SwitchboardApplication {

	public static void main(String[] args) {
		SpringApplication.run(SwitchboardApplication.class, args);
	}

}
