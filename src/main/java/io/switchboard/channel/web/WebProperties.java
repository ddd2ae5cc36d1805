package io.switchboard.channel.web;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The web pages' security settings, bound from {@code switchboard.web.*}.
 *
 * @param signIn how many failed sign-ins are allowed before sign-in is refused for a
 * while
 */
@Validated
@ConfigurationProperties("switchboard.web")
public record WebProperties(@DefaultValue @NotNull @Valid SignIn signIn) {

	/**
	 * Failed sign-ins allowed per {@code period}: per account, and per client address
	 * (which also catches one address trying many accounts). Each refills smoothly.
	 */
	public record SignIn(@DefaultValue("5") @Min(1) @Max(1000) int failuresPerAccount,
			@DefaultValue("20") @Min(1) @Max(100000) int failuresPerAddress,
			@DefaultValue("15m") @NotNull Duration period) {
	}

}
