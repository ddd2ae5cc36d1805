package io.switchboard.serverless;

import io.switchboard.SwitchboardApplication;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.PropertySource;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;

/**
 * The functions' application: the server's modules without what only a server does (no
 * HTTP server, no page or API controllers, no web page, Discord or Slack channel, no
 * OpenAI-compatible gateway). Lambda's Java runtime starts it through Spring Cloud
 * Function's {@code FunctionInvoker} ({@code MAIN_CLASS}), without a web server; its own
 * defaults are in {@code lambda.properties}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@PropertySource("classpath:lambda.properties")
@ConfigurationPropertiesScan(basePackageClasses = SwitchboardApplication.class)
@ComponentScan(basePackageClasses = SwitchboardApplication.class, excludeFilters = {
		@ComponentScan.Filter(type = FilterType.ANNOTATION,
				classes = { Controller.class, ControllerAdvice.class, SpringBootConfiguration.class }),
		@ComponentScan.Filter(type = FilterType.REGEX,
				pattern = { "io\\.switchboard\\.channel\\.(web|discord|slack)\\..*", "io\\.switchboard\\.api\\..*" }) })
public class LambdaApplication {

}
