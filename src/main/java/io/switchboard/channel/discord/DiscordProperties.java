package io.switchboard.channel.discord;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Discord bot, bound from {@code switchboard.discord.*}. The channel is off until a
 * bot token is set.
 *
 * @param token the bot's token from the Discord developer portal; empty turns Discord off
 * @param commandGuilds the servers (guild ids) to register the slash commands in, at
 * once; empty registers them globally (Discord may take up to an hour to show global
 * changes)
 * @param shards how many gateway shards the bot runs as (Discord asks for more than one
 * above 2,500 servers); the nodes share them, one connection per shard
 * @param editInterval how often a streamed answer's message is edited: Discord allows
 * about five edits per five seconds in a channel
 * @param leaseTtl how long a node's hold on a shard lasts without renewal; after a crash
 * another node connects the shard this long after the last renewal
 * @param leaseRenewInterval how often the holder renews (and other nodes try to take
 * over); at most a third of the lease's time to live
 * @param restBaseUrl Discord's REST API (a proxy, or a fake in tests)
 * @param gatewayUrl Discord's gateway; empty for Discord's own
 * @param imageProgressInterval the shortest time between two progress edits of an image
 * job's message
 */
@Validated
@ConfigurationProperties("switchboard.discord")
record DiscordProperties(String token,
		@NotNull @DefaultValue List<@Pattern(regexp = "\\d{1,20}",
				message = "must be a guild id (a number)") String> commandGuilds,
		@DefaultValue("1") @Min(1) @Max(1000) int shards,
		@DefaultValue("1s") @DurationMin(millis = 200) @DurationMax(seconds = 60) Duration editInterval,
		@DefaultValue("30s") @DurationMin(seconds = 3) Duration leaseTtl,
		@DefaultValue("10s") @DurationMin(millis = 500) Duration leaseRenewInterval,
		@NotNull @DefaultValue("https://discord.com/api/v10/") URI restBaseUrl, URI gatewayUrl,
		@DefaultValue("2s") @DurationMin(millis = 0) Duration imageProgressInterval) {

	/** Whether the bot is configured at all. */
	boolean enabled() {
		return token != null && !token.isBlank();
	}

	@AssertTrue(message = "lease-renew-interval must be at most a third of lease-ttl, so a holder renews "
			+ "at least twice before its lease could expire")
	boolean isLeaseRenewIntervalShortEnough() {
		return leaseRenewInterval == null || leaseTtl == null
				|| leaseRenewInterval.multipliedBy(3).compareTo(leaseTtl) <= 0;
	}

	@AssertTrue(message = "rest-base-url must be an http or https URL")
	boolean isRestBaseUrlHttp() {
		return restBaseUrl == null || "https".equals(restBaseUrl.getScheme()) || "http".equals(restBaseUrl.getScheme());
	}

	@AssertTrue(message = "gateway-url must be a ws or wss URL")
	boolean isGatewayUrlWebSocket() {
		return gatewayUrl == null || "wss".equals(gatewayUrl.getScheme()) || "ws".equals(gatewayUrl.getScheme());
	}

	@Override
	public String toString() {
		return "DiscordProperties[token=" + (enabled() ? "******" : "none") + ", commandGuilds=" + commandGuilds
				+ ", shards=" + shards + ", editInterval=" + editInterval + ", leaseTtl=" + leaseTtl
				+ ", leaseRenewInterval=" + leaseRenewInterval + ", restBaseUrl=" + restBaseUrl + ", gatewayUrl="
				+ gatewayUrl + ", imageProgressInterval=" + imageProgressInterval + "]";
	}

}
