package io.switchboard.channel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The platforms this node renders for, by name. Looked up on first use rather than at
 * start-up: a renderer depends on its channel's client (Discord's gateway), whose
 * listeners in turn hand events to the intake, which writes deliveries.
 */
@Component
class Renderers {

	private final ObjectProvider<ChannelRenderer<?, ?>> found;

	private volatile Map<String, ChannelRenderer<Object, Object>> byPlatform;

	Renderers(ObjectProvider<ChannelRenderer<?, ?>> found) {
		this.found = found;
	}

	@SuppressWarnings("unchecked")
	private Map<String, ChannelRenderer<Object, Object>> byPlatform() {
		Map<String, ChannelRenderer<Object, Object>> known = byPlatform;
		if (known == null) {
			known = new LinkedHashMap<>();
			for (ChannelRenderer<?, ?> renderer : found.orderedStream().toList()) {
				ChannelRenderer<?, ?> clash = known.put(renderer.platform(),
						(ChannelRenderer<Object, Object>) renderer);
				if (clash != null) {
					throw new IllegalStateException("two renderers for " + renderer.platform() + ": "
							+ clash.getClass().getName() + " and " + renderer.getClass().getName());
				}
			}
			byPlatform = known;
		}
		return known;
	}

	Optional<ChannelRenderer<Object, Object>> find(String platform) {
		return Optional.ofNullable(byPlatform().get(platform));
	}

	ChannelRenderer<Object, Object> require(String platform) {
		return find(platform).orElseThrow(() -> new IllegalStateException("no renderer for platform " + platform));
	}

	/** The platforms this node can reach now. */
	List<String> ready() {
		return byPlatform().values().stream().filter(ChannelRenderer::ready).map(ChannelRenderer::platform).toList();
	}

}
