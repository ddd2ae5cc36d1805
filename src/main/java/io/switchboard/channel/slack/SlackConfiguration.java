package io.switchboard.channel.slack;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.jakarta_servlet.SlackAppServlet;
import io.switchboard.assistant.ModeHandler;
import io.switchboard.channel.Intake;
import io.switchboard.conversation.Conversations;
import io.switchboard.llm.ModelCatalog;
import io.switchboard.media.MediaProperties;
import io.switchboard.media.MediaStore;
import io.switchboard.voice.Voice;

import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.util.StringUtils;

/**
 * The Slack channel's parts, present only when {@code switchboard.slack.bot-token} is
 * set. Requests from Slack are verified by Bolt (signature and timestamp), not by the web
 * sign-in, so their path has its own security chain without sessions or CSRF.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(SlackConfiguration.Enabled.class)
class SlackConfiguration {

	@Bean
	Slack slack(SlackProperties properties) {
		SlackConfig config = new SlackConfig();
		config.setMethodsEndpointUrlPrefix(properties.apiUrl().toString());
		config.setPrettyResponseLoggingEnabled(false);
		return Slack.getInstance(config);
	}

	@Bean
	SlackApi slackApi(Slack slack, SlackProperties properties, MediaProperties media) {
		return new SlackApi(slack, properties.botToken(), properties.apiUrl(), media.maxImageSize().toBytes());
	}

	@Bean(destroyMethod = "close")
	ExecutorService slackBackground() {
		return Executors.newVirtualThreadPerTaskExecutor();
	}

	@Bean
	SlackHome slackHome(SlackApi api, Conversations conversations, ModelCatalog models,
			List<ModeHandler> modeHandlers) {
		return new SlackHome(api, conversations, models, modeHandlers);
	}

	@Bean
	SlackRenderer slackRenderer(SlackApi api, MediaStore media, SlackProperties properties) {
		return new SlackRenderer(api, media, properties);
	}

	@Bean
	SlackIntake slackIntake(Intake intake, SlackApi api, Conversations conversations, MediaStore media,
			SlackProperties properties, SlackHome home, ObjectMapper json, Voice voice) {
		return new SlackIntake(intake, new SlackMessages(api, conversations, media, properties, voice),
				new SlackInteractions(api, conversations, properties), home, json);
	}

	@Bean
	App slackApp(Slack slack, SlackProperties properties, SlackIntake intake, SlackHome home,
			ExecutorService slackBackground) {
		AppConfig config = AppConfig.builder()
			.slack(slack)
			.singleTeamBotToken(properties.botToken())
			.signingSecret(properties.signingSecret())
			.authTestCacheEnabled(true)
			// message subtypes we do not handle (edits, joins, ...) are acknowledged, not
			// 404
			.allEventsApiAutoAckEnabled(true)
			.build();
		App app = new App(config);
		new SlackBolt(intake, home, slackBackground).install(app, properties);
		return app;
	}

	@Bean
	ServletRegistrationBean<SlackAppServlet> slackEventsServlet(App slackApp, SlackProperties properties) {
		ServletRegistrationBean<SlackAppServlet> registration = new ServletRegistrationBean<>(
				new SlackAppServlet(slackApp), properties.path());
		registration.setName("slackEvents");
		registration.setEnabled(properties.mode() == SlackProperties.Mode.EVENTS_API);
		return registration;
	}

	@Bean
	SlackConnection slackConnection(App slackApp, SlackProperties properties) {
		return new SlackConnection(slackApp,
				properties.mode() == SlackProperties.Mode.SOCKET_MODE ? properties.appToken() : null);
	}

	@Bean
	@Order(50)
	SecurityFilterChain slackSecurity(HttpSecurity http, SlackProperties properties) throws Exception {
		http.securityMatcher(properties.path())
			.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
			.csrf(csrf -> csrf.disable())
			.requestCache(cache -> cache.disable())
			.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		return http.build();
	}

	/** On when a bot token is set. */
	static final class Enabled implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return StringUtils.hasText(context.getEnvironment().getProperty("switchboard.slack.bot-token"));
		}

	}

}
