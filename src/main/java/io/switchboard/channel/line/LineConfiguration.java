package io.switchboard.channel.line;

import java.time.Clock;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.linecorp.bot.messaging.client.MessagingApiBlobClient;
import com.linecorp.bot.messaging.client.MessagingApiClient;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The LINE SDK's clients, the webhook's place in the security set-up, and housekeeping.
 * Nothing here exists unless the channel is configured.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnLineChannel
@EnableConfigurationProperties(LineProperties.class)
class LineConfiguration {

	@Bean
	MessagingApiClient lineMessagingApiClient(LineProperties properties) {
		return MessagingApiClient.builder(properties.channelAccessToken())
			.apiEndPoint(properties.apiBaseUrl())
			.connectTimeout(properties.timeout())
			.readTimeout(properties.timeout())
			.writeTimeout(properties.timeout())
			// the SDK's default logger writes every request with its headers, the access
			// token included
			.usingDefaultLogger(false)
			.build();
	}

	@Bean
	MessagingApiBlobClient lineMessagingApiBlobClient(LineProperties properties) {
		return MessagingApiBlobClient.builder(properties.channelAccessToken())
			.apiEndPoint(properties.dataApiBaseUrl())
			.connectTimeout(properties.timeout())
			.readTimeout(properties.timeout())
			.writeTimeout(properties.timeout())
			.usingDefaultLogger(false)
			.build();
	}

	@Bean
	LineCalls lineCalls(LineProperties properties) {
		return new LineCalls(properties.channelSecret(), properties.maxBodySize().toBytes());
	}

	/**
	 * LINE signs its webhook bodies instead of signing in: the webhook is open to the
	 * world (the controller checks the signature first) and has no CSRF token or session.
	 */
	@Bean
	@Order(10)
	@ConditionalOnWebApplication // the webhook function is called by API Gateway, not
									// over HTTP
	SecurityFilterChain lineWebhookSecurity(HttpSecurity http, LineProperties properties) throws Exception {
		http.securityMatcher(properties.webhookPath())
			.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
			.csrf(csrf -> csrf.disable())
			.requestCache(cache -> cache.disable())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		return http.build();
	}

	/** Forgets photos nobody asked about. */
	@Bean
	RecurringTask<Void> lineHousekeepingTask(PendingPhotos photos, LineProperties properties, Clock clock) {
		return Tasks.recurring("line-housekeeping", FixedDelay.ofMinutes(10))
			.execute((instance, context) -> photos.forgetOld(clock.millis() - properties.pendingPhotoTtl().toMillis()));
	}

}
