package io.switchboard;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Switchboard: one server that connects chat platforms to generative AI and keeps every
 * conversation, image and cost in its own database.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SwitchboardApplication {

	public static void main(String[] args) {
		SpringApplication.run(SwitchboardApplication.class, args);
	}

}
