package io.switchboard.channel.serverless;

import io.switchboard.SwitchboardApplication;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;

/**
 * The worker function's application: the server's modules without what only a server does
 * (no HTTP server, no page or API controllers, no web page, Discord or Slack channel, no
 * OpenAI-compatible gateway). Lambda's Java runtime starts it through Spring Cloud
 * Function's {@code FunctionInvoker} ({@code MAIN_CLASS}), without a web server. The
 * webhook function needs far less and has its own, {@link WebhookApplication}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ConfigurationPropertiesScan(basePackageClasses = SwitchboardApplication.class)
// the filters @SpringBootApplication's own scan has (a test's nested configuration, an
// auto-configuration) first: without them a server that finds this class among its
// components would scan test configurations in with it
@ComponentScan(basePackageClasses = SwitchboardApplication.class, excludeFilters = {
		@ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
		@ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
		@ComponentScan.Filter(type = FilterType.ANNOTATION,
				classes = { Controller.class, ControllerAdvice.class, SpringBootConfiguration.class }),
		@ComponentScan.Filter(type = FilterType.REGEX,
				pattern = { "io\\.switchboard\\.channel\\.(web|discord|slack)\\..*", "io\\.switchboard\\.api\\..*" }) })
public class LambdaApplication {

	/** See {@link #quietAdapterLog(LoggingSystem)}. */
	@Bean
	SmartInitializingSingleton quietAdapter(LoggingSystem logging) {
		return () -> quietAdapterLog(logging);
	}

	/**
	 * Spring Cloud Function's AWS adapter logs every event it receives at INFO: a LINE
	 * body carries what people wrote, which must not end up in CloudWatch. (Set once the
	 * application is made, by both functions' applications: the adapter makes the
	 * application itself, and a logging setting in a property source of this class would
	 * come too late.)
	 */
	static void quietAdapterLog(LoggingSystem logging) {
		logging.setLogLevel("org.springframework.cloud.function.adapter.aws.AWSLambdaUtils", LogLevel.WARN);
	}

}
