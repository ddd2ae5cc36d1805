package io.switchboard.channel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

/** The platforms this node renders for, by name. */
@Component
class Renderers {

	private final Map<String, ChannelRenderer<Object, Object>> byPlatform = new LinkedHashMap<>();

	@SuppressWarnings("unchecked")
	Renderers(List<ChannelRenderer<?, ?>> renderers) {
		for (ChannelRenderer<?, ?> renderer : renderers) {
			ChannelRenderer<?, ?> clash = byPlatform.put(renderer.platform(),
					(ChannelRenderer<Object, Object>) renderer);
			if (clash != null) {
				throw new IllegalStateException("two renderers for " + renderer.platform() + ": "
						+ clash.getClass().getName() + " and " + renderer.getClass().getName());
			}
		}
	}

	Optional<ChannelRenderer<Object, Object>> find(String platform) {
		return Optional.ofNullable(byPlatform.get(platform));
	}

	ChannelRenderer<Object, Object> require(String platform) {
		return find(platform).orElseThrow(() -> new IllegalStateException("no renderer for platform " + platform));
	}

	/** The platforms this node can reach now. */
	List<String> ready() {
		return byPlatform.values().stream().filter(ChannelRenderer::ready).map(ChannelRenderer::platform).toList();
	}

	List<ChannelRenderer<Object, Object>> all() {
		return List.copyOf(byPlatform.values());
	}

}
