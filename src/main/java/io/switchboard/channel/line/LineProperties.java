package io.switchboard.channel.line;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The LINE channel, bound from {@code switchboard.line.*}. Only bound (and checked) when
 * a channel secret or access token is set: then both must be.
 *
 * @param channelSecret signs the webhook's bodies (Basic settings in the LINE Developers
 * console)
 * @param channelAccessToken authorizes calls to the Messaging API (long-lived token from
 * the Messaging API tab)
 * @param webhookPath where LINE posts events
 * @param apiBaseUrl the Messaging API (tests point it at a fake)
 * @param dataApiBaseUrl the content API that serves photos and takes rich menu images
 * @param groupReplies when the bot answers in groups and rooms
 * @param maxBodySize the largest webhook body accepted
 * @param replyTokenTtl how long after an event its reply token is still used (LINE's
 * expire about a minute after the event); later answers go by push
 * @param loadingSeconds how long the loading animation shows at most (5-60, a multiple of
 * 5); it stops by itself when the answer arrives
 * @param pendingPhotoTtl how long a photo waits for its question
 * @param installRichMenu whether to install the rich menu (chat, image, new topic, help)
 * at start-up
 * @param timeout connect and read timeout of calls to LINE
 */
@Validated
@ConfigurationProperties("switchboard.line")
@ConditionalOnLineChannel // also keeps the properties scan from binding (and checking)
							// them
record LineProperties(@NotBlank String channelSecret, @NotBlank String channelAccessToken,
		@DefaultValue("/line/webhook") @NotNull @Pattern(regexp = "/[A-Za-z0-9/_.-]*",
				message = "must be a path starting with /") String webhookPath,
		@DefaultValue("https://api.line.me") @NotNull URI apiBaseUrl,
		@DefaultValue("https://api-data.line.me") @NotNull URI dataApiBaseUrl,
		@DefaultValue("mention-or-command") @NotNull GroupReplies groupReplies,
		@DefaultValue("1MB") @NotNull DataSize maxBodySize, @DefaultValue("50s") @NotNull Duration replyTokenTtl,
		@DefaultValue("20") @Min(5) @Max(60) int loadingSeconds, @DefaultValue("10m") @NotNull Duration pendingPhotoTtl,
		@DefaultValue("false") boolean installRichMenu, @DefaultValue("10s") @NotNull Duration timeout) {

	/** When the bot answers a message in a group or room. */
	enum GroupReplies {

		/** When it is mentioned, or the message is a command ({@code /help}). */
		MENTION_OR_COMMAND,
		/** Only when it is mentioned. */
		MENTION,
		/** Only to commands. */
		COMMAND,
		/** To every message (small groups that talk to the bot only). */
		ALL

	}

	@AssertTrue(message = "must be a multiple of 5")
	boolean isLoadingSecondsMultipleOfFive() {
		return loadingSeconds % 5 == 0;
	}

	@AssertTrue(message = "must be positive and at most 60s (LINE's reply tokens expire after about a minute)")
	boolean isReplyTokenTtlValid() {
		return replyTokenTtl == null
				|| (!replyTokenTtl.isNegative() && replyTokenTtl.compareTo(Duration.ofSeconds(60)) <= 0);
	}

	@AssertTrue(message = "must be between 1KB and 10MB")
	boolean isMaxBodySizeValid() {
		return maxBodySize == null
				|| (maxBodySize.toBytes() >= 1024 && maxBodySize.toBytes() <= DataSize.ofMegabytes(10).toBytes());
	}

	@Override
	public String toString() {
		return "LineProperties[channelSecret=" + mask(channelSecret) + ", channelAccessToken="
				+ mask(channelAccessToken) + ", webhookPath=" + webhookPath + ", apiBaseUrl=" + apiBaseUrl
				+ ", dataApiBaseUrl=" + dataApiBaseUrl + ", groupReplies=" + groupReplies + ", maxBodySize="
				+ maxBodySize + ", replyTokenTtl=" + replyTokenTtl + ", loadingSeconds=" + loadingSeconds
				+ ", pendingPhotoTtl=" + pendingPhotoTtl + ", installRichMenu=" + installRichMenu + ", timeout="
				+ timeout + "]";
	}

	private static String mask(String secret) {
		return secret == null || secret.isBlank() ? "(unset)" : "******";
	}

}
