package io.switchboard.channel.discord;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import net.dv8tion.jda.api.JDA;

import org.springframework.stereotype.Component;

/**
 * The fencing tokens of the shards this node holds, set by the gateway as it takes and
 * gives up leases, and checked by every write an event of a shard leads to (see
 * {@link GatewayLeases#fence}): an event that arrives on a connection whose lease was
 * lost is refused, with nothing written.
 */
@Component
class ShardFences {

	private final GatewayLeases leases;

	private final Map<Integer, Token> held = new ConcurrentHashMap<>();

	private record Token(String holder, long epoch) {
	}

	ShardFences(GatewayLeases leases) {
		this.leases = leases;
	}

	void hold(int shard, String holder, long epoch) {
		held.put(shard, new Token(holder, epoch));
	}

	void drop(int shard) {
		held.remove(shard);
	}

	/**
	 * The check to run in the transaction that takes an event of this connection in.
	 * @throws GatewayLeases.FencedOff when run and the lease is no longer this node's
	 */
	Runnable guard(JDA connection) {
		int shard = connection.getShardInfo().getShardId();
		Token token = held.get(shard);
		if (token == null) {
			return () -> {
				throw new GatewayLeases.FencedOff(shard, 0);
			};
		}
		return () -> leases.fence(shard, token.holder(), token.epoch());
	}

}
