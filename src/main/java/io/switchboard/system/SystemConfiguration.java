package io.switchboard.system;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans every module may use. */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

	/** One clock for the whole server, so tests can set the time. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
