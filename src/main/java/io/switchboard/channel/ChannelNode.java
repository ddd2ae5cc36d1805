package io.switchboard.channel;

import java.util.UUID;

import org.springframework.stereotype.Component;

/**
 * This process among the nodes that share one database: named in the turns it holds and
 * the deliveries it claims.
 */
@Component
class ChannelNode {

	private final String name;

	ChannelNode(ChannelProperties properties) {
		this.name = properties.node() != null && !properties.node().isBlank() ? properties.node().strip()
				: "node-" + UUID.randomUUID().toString().substring(0, 8);
	}

	String name() {
		return name;
	}

}
