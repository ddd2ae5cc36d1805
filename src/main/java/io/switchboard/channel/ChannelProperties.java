package io.switchboard.channel;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The channel pipeline, bound from {@code switchboard.channel.*}.
 *
 * @param node this process's name among several nodes on one database (in logs and in the
 * turns it holds); a random one when not set
 * @param turnLease how long a node's hold on a chat turn lasts without renewal: when a
 * node dies, another finishes its turns this long after its last renewal
 * @param recoveryInterval how often a node renews its holds and looks for turns whose
 * node died
 * @param deliverySweepInterval how often a node looks for deliveries that are due and
 * were not sent at once (made on another node, waiting for a retry or for the platform)
 * @param deliveryAttempts attempts at a delivery before it is given up (the pause between
 * them grows from 2 s to 5 min)
 * @param turnAttempts runs of a turn (one per process it was under way in) before its
 * question is marked failed instead of asked again
 * @param keep how long de-duplication keys and finished deliveries are kept
 */
@Validated
@ConfigurationProperties("switchboard.channel")
public record ChannelProperties(String node, @NotNull @DefaultValue("30s") Duration turnLease,
		@NotNull @DefaultValue("5s") Duration recoveryInterval,
		@NotNull @DefaultValue("1s") Duration deliverySweepInterval,
		@DefaultValue("12") @Min(1) @Max(100) int deliveryAttempts,
		@DefaultValue("3") @Min(1) @Max(20) int turnAttempts, @NotNull @DefaultValue("7d") Duration keep) {

	public ChannelProperties {
		if (turnLease != null && recoveryInterval != null
				&& turnLease.compareTo(recoveryInterval.multipliedBy(2)) < 0) {
			throw new IllegalArgumentException("switchboard.channel.turn-lease (" + turnLease
					+ ") must be at least twice switchboard.channel.recovery-interval (" + recoveryInterval
					+ "), or a live node's holds run out between two renewals");
		}
	}

}
