package io.switchboard.image;

import java.time.Clock;

import io.switchboard.image.provider.DemoImageProvider;
import io.switchboard.image.provider.ImageProvider;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.stereotype.Component;

/** Makes the provider of each configured type. */
@Component
class ProviderFactory {

	private final ImageProperties properties;

	private final Clock clock;

	ProviderFactory(ImageProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
	}

	ImageProvider create(String name, ImageProperties.Provider provider) {
		return switch (provider.type()) {
			case DEMO -> new DemoImageProvider(name, properties.demo().duration(), clock);
			default -> throw new InvalidConfigurationPropertyValueException(
					"switchboard.image.providers." + name + ".type", provider.type(), "Not supported yet.");
		};
	}

}
