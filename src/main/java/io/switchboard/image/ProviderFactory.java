package io.switchboard.image;

import java.net.URI;
import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.image.provider.ComfyUiImageProvider;
import io.switchboard.image.provider.DemoImageProvider;
import io.switchboard.image.provider.ImageProvider;
import io.switchboard.image.provider.MidjourneyProxyImageProvider;
import io.switchboard.image.provider.OpenAiImageProvider;
import io.switchboard.image.provider.SdWebUiImageProvider;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.stereotype.Component;

/** Makes the provider of each configured type, checking what that type needs. */
@Component
class ProviderFactory {

	static final URI OPENAI = URI.create("https://api.openai.com/v1");

	private final ImageProperties properties;

	private final HookLinks hooks;

	private final ObjectMapper json;

	private final Clock clock;

	ProviderFactory(ImageProperties properties, HookLinks hooks, ObjectMapper json, Clock clock) {
		this.properties = properties;
		this.hooks = hooks;
		this.json = json;
		this.clock = clock;
	}

	ImageProvider create(String name, ImageProperties.Provider p) {
		String prefix = "switchboard.image.providers." + name;
		return switch (p.type()) {
			case DEMO -> new DemoImageProvider(name, properties.demo().duration(), clock);
			case OPENAI -> new OpenAiImageProvider(name, p.baseUrl() == null ? OPENAI : p.baseUrl(), p.apiKey(),
					p.model(), p.upscaleFactor(), p.connectTimeout(), json);
			case SD_WEBUI -> new SdWebUiImageProvider(name, required(prefix, p), p.username(), p.password(), p.model(),
					p.subtleStrength(), p.strongStrength(), p.upscaleFactor(), p.upscaler(), p.connectTimeout(), json);
			case COMFYUI -> {
				try {
					yield new ComfyUiImageProvider(name, required(prefix, p), p.websocketUrl(), p.model(),
							p.subtleStrength(), p.strongStrength(), p.upscaleFactor(), p.workflows(),
							p.connectTimeout(), json);
				}
				catch (RuntimeException badTemplates) {
					throw new InvalidConfigurationPropertyValueException(prefix + ".workflows", p.workflows(),
							badTemplates.getMessage());
				}
			}
			case MIDJOURNEY_PROXY -> new MidjourneyProxyImageProvider(name, required(prefix, p), p.apiKey(),
					p.useNotifyHook() ? hooks.url(name) : null, p.connectTimeout(), json);
		};
	}

	private static URI required(String prefix, ImageProperties.Provider p) {
		if (p.baseUrl() == null) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".base-url", null, "A "
					+ p.type().name().toLowerCase().replace('_', '-') + " provider needs the address it answers at.");
		}
		return p.baseUrl();
	}

}
