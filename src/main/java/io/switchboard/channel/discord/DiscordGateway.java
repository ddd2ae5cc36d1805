package io.switchboard.channel.discord;

import java.net.InetAddress;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.hooks.EventListener;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Connects the bot to Discord's gateway, one connection per shard across all nodes: every
 * node ticks at the lease's renew interval, renews the shards it holds, tries to take the
 * ones nobody holds, and connects a shard only while it holds its lease. A node that
 * loses a lease (it could not renew in time and another node took over) disconnects that
 * shard at once; a node that stops gives its leases up, so another node takes over within
 * one tick.
 */
@Component
class DiscordGateway implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DiscordGateway.class);

	/**
	 * Guild messages and DMs, and their text: MESSAGE_CONTENT is privileged and must be
	 * switched on in the developer portal.
	 */
	static final EnumSet<GatewayIntent> INTENTS = EnumSet.of(GatewayIntent.GUILD_MESSAGES,
			GatewayIntent.DIRECT_MESSAGES, GatewayIntent.MESSAGE_CONTENT);

	private final DiscordProperties properties;

	private final GatewayLeases leases;

	private final EventListener listener;

	private final Clock clock;

	private final String holder;

	private final Map<Integer, Connection> connections = new ConcurrentHashMap<>();

	private volatile ScheduledExecutorService ticker;

	private volatile boolean running;

	/** Set when Discord refused the token: retrying would not help. */
	private volatile boolean refused;

	/**
	 * A connected shard, the epoch of its lease (its fencing token) and its last renewal.
	 */
	private record Connection(JDA jda, long epoch, long renewedAt) {
	}

	private final ShardFences fences;

	DiscordGateway(DiscordProperties properties, GatewayLeases leases, ShardFences fences, EventListener listener,
			Clock clock) {
		this.properties = properties;
		this.leases = leases;
		this.fences = fences;
		this.listener = listener;
		this.clock = clock;
		this.holder = hostName() + "/" + UUID.randomUUID();
	}

	@Override
	public void start() {
		if (!properties.enabled()) {
			log.info("Discord is off: set switchboard.discord.token to connect the bot");
			return;
		}
		running = true;
		ticker = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("discord-lease").factory());
		ticker.scheduleWithFixedDelay(this::tick, 0, properties.leaseRenewInterval().toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		running = false;
		ScheduledExecutorService current = ticker;
		if (current != null) {
			current.shutdownNow();
			try {
				current.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException interrupted) {
				Thread.currentThread().interrupt();
			}
		}
		for (Integer shard : List.copyOf(connections.keySet())) {
			disconnect(shard, false);
			try {
				leases.release(shard, holder);
			}
			catch (RuntimeException databaseGone) {
				log.warn("could not release the lease on Discord shard {}; it expires by itself", shard, databaseGone);
			}
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/**
	 * Stops before the web server and the database pool go, so answers in flight can
	 * still be recorded.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 100;
	}

	/** The lease holder's name of this node. */
	String holder() {
		return holder;
	}

	/** The connected shards' clients. */
	List<JDA> connected() {
		return connections.values().stream().map(Connection::jda).toList();
	}

	/** A connected client that knows the channel, if this node holds its shard. */
	Optional<MessageChannel> channel(long channelId) {
		for (Connection connection : connections.values()) {
			MessageChannel channel = connection.jda().getChannelById(MessageChannel.class, channelId);
			if (channel != null) {
				return Optional.of(channel);
			}
		}
		return Optional.empty();
	}

	/**
	 * Where to post to a place: the channel by its id when this node holds its shard; a
	 * DM not in the cache (after a restart) is opened again by the person's id.
	 * @param channelId the channel, 0 when unknown
	 * @param dmUser the person whose DM it is, or {@code null} for a server channel
	 */
	Optional<MessageChannel> channel(long channelId, String dmUser) {
		Optional<MessageChannel> channel = channelId == 0 ? Optional.empty() : channel(channelId);
		if (channel.isPresent() || dmUser == null) {
			return channel;
		}
		return directMessages().map(jda -> jda.openPrivateChannelById(dmUser).complete());
	}

	/** The client of shard 0 (which receives DMs), if this node holds it. */
	Optional<JDA> directMessages() {
		return Optional.ofNullable(connections.get(0)).map(Connection::jda);
	}

	/**
	 * One round of renewals and take-overs; one at a time, so a shard is never connected
	 * twice.
	 */
	synchronized void tick() {
		if (!running || refused) {
			return;
		}
		for (int shard = 0; shard < properties.shards(); shard++) {
			try {
				Connection held = connections.get(shard);
				if (held != null) {
					if (leases.renew(shard, holder, held.epoch(), properties.leaseTtl())) {
						connections.computeIfPresent(shard,
								(id, c) -> new Connection(c.jda(), c.epoch(), clock.millis()));
					}
					else {
						log.warn("lost the lease on Discord shard {} to {}; disconnecting", shard,
								leases.holder(shard).orElse("another node"));
						disconnect(shard, true);
					}
				}
				else {
					java.util.OptionalLong epoch = leases.acquire(shard, holder, properties.leaseTtl());
					if (epoch.isPresent()) {
						connect(shard, epoch.getAsLong());
					}
				}
			}
			catch (RuntimeException failure) {
				log.warn("Discord shard {}: lease check failed: {}", shard, failure.toString());
				Connection held = connections.get(shard);
				if (held != null && clock.millis() - held.renewedAt() >= properties.leaseTtl().toMillis()) {
					// we cannot tell whether another node took over: do not risk two
					// connections
					log.warn("could not renew the lease on Discord shard {} in time; disconnecting", shard);
					disconnect(shard, true);
				}
			}
		}
	}

	private void connect(int shard, long epoch) {
		// the token is in place before the first event can arrive
		fences.hold(shard, holder, epoch);
		log.info("connecting Discord shard {} of {} as {}", shard, properties.shards(), holder);
		JDABuilder builder = JDABuilder.createLight(properties.token(), INTENTS)
			.setRestConfig(new RestConfig().setBaseUrl(properties.restBaseUrl().toString()))
			// events reach the listener in the order the gateway sent them, on its
			// thread: the listener hands each to a virtual thread (a person's messages to
			// one in order), so nothing slow ever holds the gateway up
			.setEnableShutdownHook(false)
			.addEventListeners(listener);
		if (properties.gatewayUrl() != null) {
			String url = properties.gatewayUrl().toString();
			builder.setSessionController(new SessionControllerAdapter() {
				@Override
				public String getGateway() {
					return url;
				}
			});
		}
		if (properties.shards() > 1) {
			builder.useSharding(shard, properties.shards());
		}
		try {
			connections.put(shard, new Connection(builder.build(), epoch, clock.millis()));
		}
		catch (InvalidTokenException badToken) {
			refused = true;
			log.error("Discord refused the bot token (switchboard.discord.token); the bot stays off until the "
					+ "token is fixed and the server restarted");
			fences.drop(shard);
			leases.release(shard, holder);
		}
		catch (RuntimeException failure) {
			log.warn("could not connect Discord shard {}: {}; trying again in {}", shard, failure.toString(),
					properties.leaseRenewInterval());
			fences.drop(shard);
			leases.release(shard, holder);
		}
	}

	private void disconnect(int shard, boolean now) {
		fences.drop(shard);
		Connection connection = connections.remove(shard);
		if (connection == null) {
			return;
		}
		if (now) {
			connection.jda().shutdownNow();
			return;
		}
		connection.jda().shutdown();
		try {
			if (!connection.jda().awaitShutdown(5, TimeUnit.SECONDS)) {
				connection.jda().shutdownNow();
			}
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			connection.jda().shutdownNow();
		}
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (Exception unknown) {
			return "node";
		}
	}

}
