package io.switchboard.channel.line;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The LINE channel's beans exist only when the channel is configured: a channel secret or
 * an access token is set (and then {@link LineProperties} insists on both).
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(ConditionalOnLineChannel.Configured.class)
@interface ConditionalOnLineChannel {

	class Configured implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Environment environment = context.getEnvironment();
			return hasText(environment, "switchboard.line.channel-secret")
					|| hasText(environment, "switchboard.line.channel-access-token");
		}

		private static boolean hasText(Environment environment, String property) {
			String value = environment.getProperty(property);
			return value != null && !value.isBlank();
		}

	}

}
