package io.switchboard.channel.slack;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import com.google.gson.Gson;
import com.slack.api.Slack;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.auth.AuthTestResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.files.FilesInfoResponse;
import com.slack.api.methods.response.files.FilesUploadV2Response;
import com.slack.api.methods.response.users.UsersInfoResponse;
import com.slack.api.model.File;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.View;
import com.slack.api.util.json.GsonFactory;
import com.slack.api.webhook.WebhookResponse;

/**
 * The Slack Web API calls the channel makes, over the official client. Slack's refusals
 * ({@code "ok": false}) become {@link Failed}; its rate limit (HTTP 429) becomes
 * {@link RateLimited} with the wait Slack asked for, so callers can keep to its pace.
 */
final class SlackApi {

	/** Slack serves private files from here; the bot token is sent nowhere else. */
	private static final String FILES_HOST = "files.slack.com";

	private final Slack slack;

	private final MethodsClient methods;

	private final Set<String> fileHosts;

	private final long maxDownloadBytes;

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(10))
		// a redirect would be Slack's sign-in page: never follow one with the token
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private final String botToken;

	private final Gson gson;

	private final AtomicReference<BotIdentity> identity = new AtomicReference<>();

	SlackApi(Slack slack, String botToken, URI apiUrl, long maxDownloadBytes) {
		this.slack = slack;
		this.botToken = botToken;
		this.methods = slack.methods(botToken);
		this.fileHosts = Set.of(FILES_HOST, apiUrl.getHost().toLowerCase(Locale.ROOT));
		this.maxDownloadBytes = maxDownloadBytes;
		this.gson = GsonFactory.createSnakeCase(slack.getConfig());
	}

	/** Who the bot is, from {@code auth.test}, asked once. */
	BotIdentity identity() {
		BotIdentity known = identity.get();
		if (known != null) {
			return known;
		}
		AuthTestResponse auth = call("auth.test", () -> methods.authTest(r -> r));
		BotIdentity fresh = new BotIdentity(auth.getUserId(), auth.getBotId(), auth.getTeamId());
		identity.compareAndSet(null, fresh);
		return identity.get();
	}

	/** Posts a message, in a thread when {@code threadTs} is set; returns its ts. */
	String postMessage(String channel, String threadTs, String text, List<LayoutBlock> blocks) {
		ChatPostMessageResponse posted = call("chat.postMessage",
				() -> methods.chatPostMessage(r -> r.channel(channel)
					.threadTs(threadTs)
					.text(text)
					.blocks(blocks == null || blocks.isEmpty() ? null : blocks)
					.unfurlLinks(false)
					.unfurlMedia(false)));
		return posted.getTs();
	}

	void updateMessage(String channel, String ts, String text, List<LayoutBlock> blocks) {
		// an empty list removes blocks a message had; null would leave them
		call("chat.update", () -> methods
			.chatUpdate(r -> r.channel(channel).ts(ts).text(text).blocks(blocks == null ? List.of() : blocks)));
	}

	/** Answers through a slash command's or button's {@code response_url}. */
	void respond(String responseUrl, String text, List<LayoutBlock> blocks) {
		if (!isSlackUrl(responseUrl)) {
			throw new Failed("response_url", "response_url is not Slack's: " + responseUrl);
		}
		Map<String, Object> body = blocks == null || blocks.isEmpty()
				? Map.of("response_type", "ephemeral", "text", text, "replace_original", false)
				: Map.of("response_type", "ephemeral", "text", text, "blocks", blocks, "replace_original", false);
		WebhookResponse response;
		try {
			response = slack.send(responseUrl, gson.toJson(body));
		}
		catch (IOException unreachable) {
			throw new Failed("response_url", unreachable.getMessage());
		}
		if (response.getCode() == 429) {
			throw new RateLimited("response_url", Duration.ofSeconds(1));
		}
		if (response.getCode() != 200) {
			throw new Failed("response_url", "HTTP " + response.getCode() + " " + response.getBody());
		}
	}

	void publishHome(String userId, View view) {
		call("views.publish", () -> methods.viewsPublish(r -> r.userId(userId).view(view)));
	}

	void openView(String triggerId, View view) {
		call("views.open", () -> methods.viewsOpen(r -> r.triggerId(triggerId).view(view)));
	}

	/** A user's display name, for their first contact; empty when Slack will not say. */
	Optional<String> displayName(String userId) {
		try {
			UsersInfoResponse info = call("users.info", () -> methods.usersInfo(r -> r.user(userId)));
			var user = info.getUser();
			if (user == null) {
				return Optional.empty();
			}
			var profile = user.getProfile();
			for (String name : new String[] { profile == null ? null : profile.getDisplayName(),
					profile == null ? null : profile.getRealName(), user.getRealName(), user.getName() }) {
				if (name != null && !name.isBlank()) {
					return Optional.of(name);
				}
			}
			return Optional.empty();
		}
		catch (Failed notNow) {
			return Optional.empty();
		}
	}

	/** A file's details, when an event carried only its id. */
	File fileInfo(String fileId) {
		FilesInfoResponse info = call("files.info", () -> methods.filesInfo(r -> r.file(fileId)));
		return info.getFile();
	}

	/**
	 * Downloads a private file with the bot token. Only Slack's file host (and the
	 * configured API host) are trusted with the token.
	 */
	byte[] download(String url) {
		if (!isSlackUrl(url)) {
			throw new Failed("files", "not a Slack file URL: " + url);
		}
		HttpRequest request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(60))
			.header("Authorization", "Bearer " + botToken)
			.GET()
			.build();
		try {
			HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
			try (InputStream body = response.body()) {
				if (response.statusCode() == 429) {
					throw new RateLimited("files", retryAfter(response.headers().firstValue("Retry-After")));
				}
				if (response.statusCode() != 200) {
					throw new Failed("files", "HTTP " + response.statusCode() + " for " + URI.create(url).getPath());
				}
				byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxDownloadBytes + 1));
				if (bytes.length > maxDownloadBytes) {
					throw new TooLarge(maxDownloadBytes);
				}
				return bytes;
			}
		}
		catch (IOException unreachable) {
			throw new Failed("files", unreachable.getMessage());
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new Failed("files", "interrupted");
		}
	}

	/** Uploads an image into a channel's thread; returns the file id. */
	String uploadImage(String channel, String threadTs, byte[] bytes, String filename, String title, String comment) {
		FilesUploadV2Response uploaded = call("files.uploadV2",
				() -> methods.filesUploadV2(r -> r.channel(channel)
					.threadTs(threadTs)
					.fileData(bytes)
					.filename(filename)
					.title(title)
					.initialComment(comment)));
		return uploaded.getFile() == null ? null : uploaded.getFile().getId();
	}

	private boolean isSlackUrl(String url) {
		try {
			URI uri = URI.create(url);
			String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
			boolean secure = "https".equals(uri.getScheme()) || "127.0.0.1".equals(host) || "localhost".equals(host);
			return secure && (fileHosts.contains(host) || host.endsWith(".slack.com"));
		}
		catch (IllegalArgumentException malformed) {
			return false;
		}
	}

	private <T extends SlackApiTextResponse> T call(String method, SlackCall<T> call) {
		T response;
		try {
			response = call.run();
		}
		catch (SlackApiException refused) {
			if (refused.getResponse() != null && refused.getResponse().code() == 429) {
				throw new RateLimited(method,
						retryAfter(Optional.ofNullable(refused.getResponse().header("Retry-After"))));
			}
			throw new Failed(method, refused.getError() != null && refused.getError().getError() != null
					? refused.getError().getError() : "HTTP " + refused.getResponse().code());
		}
		catch (IOException unreachable) {
			throw new Failed(method, unreachable.getClass().getSimpleName() + ": " + unreachable.getMessage());
		}
		catch (Exception other) {
			throw new Failed(method, other.getClass().getSimpleName() + ": " + other.getMessage());
		}
		if (response == null) {
			throw new Failed(method, "no answer");
		}
		if (!response.isOk()) {
			if ("ratelimited".equals(response.getError())) {
				throw new RateLimited(method, Duration.ofSeconds(1));
			}
			throw new Failed(method, response.getError());
		}
		return response;
	}

	private static Duration retryAfter(Optional<String> header) {
		try {
			return Duration.ofSeconds(Math.max(1, Long.parseLong(header.orElse("1").strip())));
		}
		catch (NumberFormatException unreadable) {
			return Duration.ofSeconds(1);
		}
	}

	@FunctionalInterface
	private interface SlackCall<T> {

		T run() throws Exception;

	}

	/** The bot as Slack knows it. */
	record BotIdentity(String userId, String botId, String teamId) {

		/** How a mention of the bot looks in message text. */
		String mention() {
			return "<@" + userId + ">";
		}

	}

	/** Slack refused a call, or could not be reached. */
	static class Failed extends RuntimeException {

		private final String error;

		Failed(String method, String error) {
			super(method + " failed: " + error);
			this.error = error;
		}

		/** Slack's error code, e.g. {@code channel_not_found}. */
		String error() {
			return error;
		}

	}

	/** Slack asked us to slow down (HTTP 429) and to wait {@link #retryAfter()}. */
	static final class RateLimited extends Failed {

		private final Duration retryAfter;

		RateLimited(String method, Duration retryAfter) {
			super(method, "ratelimited, retry after " + retryAfter.toSeconds() + "s");
			this.retryAfter = retryAfter;
		}

		Duration retryAfter() {
			return retryAfter;
		}

	}

	/** A file larger than the media store accepts. */
	static final class TooLarge extends Failed {

		TooLarge(long maxBytes) {
			super("files", "larger than " + maxBytes + " bytes");
		}

	}

}
