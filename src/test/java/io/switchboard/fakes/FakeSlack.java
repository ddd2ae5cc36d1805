package io.switchboard.fakes;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A fake of Slack on 127.0.0.1, in Slack's wire formats, both ways.
 *
 * <p>
 * <b>Web API</b> ({@code POST /api/<method>}, form or JSON bodies, the token in
 * {@code Authorization: Bearer}), answering {@code {"ok": true, ...}} or {@code {"ok":
 * false, "error": ...}} as Slack does: {@code auth.test}, {@code chat.postMessage},
 * {@code chat.update}, {@code conversations.replies}, {@code users.info},
 * {@code files.info}, {@code views.publish}, {@code views.open},
 * {@code apps.connections.open} (with the app-level token; answers the URL of
 * {@link FakeSlackSocketMode}), {@code files.getUploadURLExternal} and
 * {@code files.completeUploadExternal}. Messages are kept per channel, so updates and
 * thread histories can be read back; blocks are checked against Block Kit's limits
 * ({@code invalid_blocks}). Private files are served at {@code /files-pri/...} only with
 * the bot token (otherwise Slack's sign-in page, as Slack does); {@code response_url}s
 * are {@code /response/<n>}.
 *
 * <p>
 * <b>Slack's side of the Events API</b>: {@link #deliver} POSTs a request to the app,
 * signed with {@code X-Slack-Signature} and {@code X-Slack-Request-Timestamp} as Slack
 * signs them, and helpers build event callbacks, slash commands and block actions.
 */
public final class FakeSlack extends FakeHttpServer {

	public static final String BOT_TOKEN = "xoxb-fake-bot-token";

	public static final String APP_TOKEN = "xapp-1-fake-app-token";

	public static final String SIGNING_SECRET = "fake-signing-secret-0123456789";

	public static final String TEAM = "TFAKETEAM";

	public static final String BOT_USER = "UFAKEBOT";

	public static final String BOT_ID = "BFAKEBOT";

	public static final String APP_ID = "AFAKEAPP";

	private static final Set<String> BLOCK_TYPES = Set.of("section", "actions", "context", "header", "divider", "image",
			"input", "rich_text", "file");

	private final AtomicLong clock = new AtomicLong(1_700_000_000_000_000L);

	private final AtomicLong ids = new AtomicLong();

	private final Map<String, Message> messages = new ConcurrentHashMap<>();

	private final List<ApiCall> calls = new CopyOnWriteArrayList<>();

	private final Map<String, StoredFile> files = new ConcurrentHashMap<>();

	private final Map<String, String> userNames = new ConcurrentHashMap<>();

	private final List<JsonNode> responses = new CopyOnWriteArrayList<>();

	private final List<JsonNode> views = new CopyOnWriteArrayList<>();

	private final List<Upload> uploads = new CopyOnWriteArrayList<>();

	private final Queue<RateLimit> rateLimits = new ConcurrentLinkedQueue<>();

	private final HttpClient http = HttpClient.newHttpClient();

	private volatile FakeSlackSocketMode socketMode;

	/** A message as the fake keeps it: its latest text and blocks, and every version. */
	public record Message(String channel, String ts, String threadTs, String user, List<Version> versions) {

		public String text() {
			return versions.getLast().text();
		}

		public JsonNode blocks() {
			return versions.getLast().blocks();
		}

	}

	/** One version of a message (as posted, then each update). */
	public record Version(String text, JsonNode blocks, long atNanos) {
	}

	/** A Web API call: the method and its parameters as strings. */
	public record ApiCall(String method, Map<String, String> params, long atNanos) {

		public String param(String name) {
			return params.get(name);
		}

		public JsonNode json(String name) {
			return Json.read(params.get(name));
		}

	}

	/** A file uploaded by the app, and where it was shared. */
	public record Upload(String fileId, String filename, byte[] bytes, String channel, String threadTs,
			String initialComment) {
	}

	private record StoredFile(String id, String name, String mimetype, byte[] bytes) {
	}

	private record RateLimit(String method, long retryAfterSeconds) {
	}

	private record Failure(String method, java.util.concurrent.atomic.AtomicInteger countdown, String error) {
	}

	private final java.util.Queue<Failure> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();

	public FakeSlack() {
		userNames.put(BOT_USER, "switchboard");
	}

	/** Where the app's {@code switchboard.slack.api-url} should point. */
	public URI apiUrl() {
		return URI.create(uri() + "/api/");
	}

	/** Names a user, as {@code users.info} tells it. */
	public FakeSlack user(String id, String displayName) {
		userNames.put(id, displayName);
		return this;
	}

	/** The Socket Mode server, started on first use. */
	public synchronized FakeSlackSocketMode socketMode() {
		if (socketMode == null) {
			socketMode = FakeSlackSocketMode.launch();
		}
		return socketMode;
	}

	/** Answers the next call of {@code method} with HTTP 429 and this Retry-After. */
	public FakeSlack rateLimitNext(String method, long retryAfterSeconds) {
		rateLimits.add(new RateLimit(method, retryAfterSeconds));
		return this;
	}

	/**
	 * Answers the {@code nth} call of {@code method} from now on (1: the next one) with
	 * {@code {"ok": false, "error": error}}, as Slack answers a call that failed on its
	 * side (e.g. {@code internal_error}); the calls before it go through as usual.
	 */
	public FakeSlack failCall(String method, int nth, String error) {
		if (nth < 1) {
			throw new IllegalArgumentException("nth counts from 1, not " + nth);
		}
		failures.add(new Failure(method, new java.util.concurrent.atomic.AtomicInteger(nth), error));
		return this;
	}

	/**
	 * Keeps a private file and returns its {@code url_private_download}, which works only
	 * with the bot token.
	 */
	public String privateFile(String id, String name, String mimetype, byte[] bytes) {
		files.put(id, new StoredFile(id, name, mimetype, bytes));
		return uri() + "/files-pri/" + TEAM + "-" + id + "/download/" + name;
	}

	// ---------------------------------------------------------- what the app did

	/** Every Web API call, oldest first. */
	public List<ApiCall> calls() {
		return List.copyOf(calls);
	}

	public List<ApiCall> calls(String method) {
		return calls.stream().filter(call -> call.method().equals(method)).toList();
	}

	/** The bot's messages in a channel, oldest first. */
	public List<Message> messages(String channel) {
		return messages.values()
			.stream()
			.filter(message -> message.channel().equals(channel))
			.sorted((a, b) -> a.ts().compareTo(b.ts()))
			.toList();
	}

	/** The bot's messages in a thread, oldest first. */
	public List<Message> thread(String channel, String threadTs) {
		return messages(channel).stream().filter(message -> threadTs.equals(message.threadTs())).toList();
	}

	/** Bodies posted to {@code response_url}s, oldest first. */
	public List<JsonNode> responses() {
		return List.copyOf(responses);
	}

	/** Views published ({@code views.publish}) and opened ({@code views.open}). */
	public List<JsonNode> views() {
		return List.copyOf(views);
	}

	public List<Upload> uploads() {
		return List.copyOf(uploads);
	}

	@Override
	public void reset() {
		super.reset();
		calls.clear();
		messages.clear();
		responses.clear();
		views.clear();
		uploads.clear();
		rateLimits.clear();
		failures.clear();
	}

	@Override
	public void close() {
		super.close();
		if (socketMode != null) {
			socketMode.close();
		}
	}

	// ------------------------------------------------------------- the Web API

	@Override
	protected Reply answer(RecordedRequest request) {
		String path = request.path();
		if (path.startsWith("/api/")) {
			return api(path.substring("/api/".length()), request);
		}
		if (path.startsWith("/files-pri/") && "GET".equals(request.method())) {
			return file(request);
		}
		if (path.startsWith("/upload/") && "POST".equals(request.method())) {
			String fileId = path.substring("/upload/".length());
			StoredFile pending = files.get(fileId);
			if (pending == null) {
				return Reply.json(404, "{}");
			}
			files.put(fileId, new StoredFile(fileId, pending.name(), "image/png", request.body()));
			return new Reply.Whole(200, Map.of("Content-Type", "text/plain"),
					("OK - " + request.body().length).getBytes(StandardCharsets.UTF_8), Duration.ZERO);
		}
		if (path.startsWith("/response/") && "POST".equals(request.method())) {
			responses.add(request.json());
			return new Reply.Whole(200, Map.of("Content-Type", "text/html"), "ok".getBytes(StandardCharsets.UTF_8),
					Duration.ZERO);
		}
		return super.answer(request);
	}

	private Reply api(String method, RecordedRequest request) {
		Map<String, String> params = params(request);
		calls.add(new ApiCall(method, params, request.receivedAtNanos()));
		RateLimit limit = rateLimits.peek();
		if (limit != null && limit.method().equals(method) && rateLimits.remove(limit)) {
			return Reply.json(429, "{\"ok\":false,\"error\":\"ratelimited\"}")
				.withHeader("Retry-After", Long.toString(limit.retryAfterSeconds()));
		}
		for (Failure failure : failures) {
			if (failure.method().equals(method) && failure.countdown().decrementAndGet() == 0
					&& failures.remove(failure)) {
				return error(failure.error());
			}
		}
		String auth = request.header("Authorization");
		String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : params.get("token");
		if ("apps.connections.open".equals(method)) {
			if (!APP_TOKEN.equals(token)) {
				return error(token == null ? "not_authed" : "invalid_auth");
			}
			return ok(Json.object().put("url", socketMode().connectUrl()));
		}
		if (!BOT_TOKEN.equals(token)) {
			return error(token == null ? "not_authed" : "invalid_auth");
		}
		return switch (method) {
			case "auth.test" -> ok(Json.object()
				.put("url", "https://fake.slack.com/")
				.put("team", "Fake")
				.put("user", "switchboard")
				.put("team_id", TEAM)
				.put("user_id", BOT_USER)
				.put("bot_id", BOT_ID)
				.put("is_enterprise_install", false));
			case "chat.postMessage" -> postMessage(params);
			case "chat.update" -> update(params);
			case "conversations.replies" -> replies(params);
			case "users.info" -> usersInfo(params);
			case "files.info" -> filesInfo(params);
			case "views.publish" -> view(params, true);
			case "views.open" -> view(params, false);
			case "files.getUploadURLExternal" -> {
				String id = "F" + ids.incrementAndGet();
				files.put(id, new StoredFile(id, params.getOrDefault("filename", "file"), "application/octet-stream",
						new byte[0]));
				yield ok(Json.object().put("upload_url", uri() + "/upload/" + id).put("file_id", id));
			}
			case "files.completeUploadExternal" -> completeUpload(params);
			default -> error("unknown_method");
		};
	}

	private Reply postMessage(Map<String, String> params) {
		String channel = params.get("channel");
		if (channel == null || channel.isBlank()) {
			return error("channel_not_found");
		}
		String problem = checkContent(params);
		if (problem != null) {
			return error(problem);
		}
		String ts = nextTs();
		String threadTs = params.get("thread_ts");
		List<Version> versions = new CopyOnWriteArrayList<>();
		versions.add(new Version(params.getOrDefault("text", ""), blocks(params), System.nanoTime()));
		messages.put(channel + "/" + ts, new Message(channel, ts, threadTs, BOT_USER, versions));
		ObjectNode message = Json.object().put("type", "message").put("user", BOT_USER).put("bot_id", BOT_ID);
		message.put("text", params.getOrDefault("text", "")).put("ts", ts);
		if (threadTs != null) {
			message.put("thread_ts", threadTs);
		}
		return ok(Json.object().put("channel", channel).put("ts", ts).set("message", message));
	}

	private Reply update(Map<String, String> params) {
		Message message = messages.get(params.get("channel") + "/" + params.get("ts"));
		if (message == null) {
			return error("message_not_found");
		}
		String problem = checkContent(params);
		if (problem != null) {
			return error(problem);
		}
		message.versions().add(new Version(params.getOrDefault("text", ""), blocks(params), System.nanoTime()));
		return ok(Json.object()
			.put("channel", message.channel())
			.put("ts", message.ts())
			.put("text", params.getOrDefault("text", "")));
	}

	private Reply replies(Map<String, String> params) {
		ArrayNode list = Json.array();
		thread(params.getOrDefault("channel", ""), params.getOrDefault("ts", "")).forEach(message -> list.addObject()
			.put("type", "message")
			.put("user", message.user())
			.put("text", message.text())
			.put("ts", message.ts())
			.put("thread_ts", message.threadTs()));
		return ok(Json.object().put("has_more", false).set("messages", list));
	}

	private Reply usersInfo(Map<String, String> params) {
		String id = params.get("user");
		String name = userNames.get(id);
		if (name == null) {
			return error("user_not_found");
		}
		ObjectNode user = Json.object().put("id", id).put("team_id", TEAM).put("name", name).put("real_name", name);
		user.putObject("profile").put("display_name", name).put("real_name", name);
		return ok(Json.object().set("user", user));
	}

	private Reply filesInfo(Map<String, String> params) {
		StoredFile file = files.get(params.get("file"));
		if (file == null) {
			return error("file_not_found");
		}
		return ok(Json.object().set("file", fileJson(file)));
	}

	private Reply view(Map<String, String> params, boolean publish) {
		if (publish && (params.get("user_id") == null)) {
			return error("invalid_arguments");
		}
		if (!publish && params.get("trigger_id") == null) {
			return error("invalid_trigger_id");
		}
		JsonNode view;
		try {
			view = Json.read(params.getOrDefault("view", ""));
		}
		catch (RuntimeException notJson) {
			return error("invalid_arguments");
		}
		String type = view.path("type").asText();
		if (publish ? !"home".equals(type) : !"modal".equals(type)) {
			return error("invalid_arguments");
		}
		if (checkBlocks(view.path("blocks")) != null) {
			return error("invalid_blocks");
		}
		ObjectNode recorded = ((ObjectNode) view.deepCopy()).put("id", "V" + ids.incrementAndGet());
		recorded.put("fake_method", publish ? "views.publish" : "views.open");
		if (publish) {
			recorded.put("fake_user_id", params.get("user_id"));
		}
		views.add(recorded);
		return ok(Json.object().set("view", recorded));
	}

	private Reply completeUpload(Map<String, String> params) {
		JsonNode list = Json.read(params.getOrDefault("files", "[]"));
		ArrayNode answered = Json.array();
		for (JsonNode entry : list) {
			StoredFile file = files.get(entry.path("id").asText());
			if (file == null || file.bytes().length == 0) {
				return error("file_not_found");
			}
			uploads.add(new Upload(file.id(), file.name(), file.bytes(), params.get("channel_id"),
					params.get("thread_ts"), params.get("initial_comment")));
			answered.add(fileJson(file).put("title", entry.path("title").asText(file.name())));
		}
		return ok(Json.object().set("files", answered));
	}

	private Reply file(RecordedRequest request) {
		String auth = request.header("Authorization");
		String[] parts = request.path().split("/");
		String key = parts.length > 2 ? parts[2] : "";
		StoredFile file = files.get(key.substring(key.indexOf('-') + 1));
		if (!("Bearer " + BOT_TOKEN).equals(auth) || file == null) {
			// Slack answers a request without a valid token with its sign-in page
			return new Reply.Whole(200, Map.of("Content-Type", "text/html"),
					"<!DOCTYPE html><html><body>Sign in to Slack</body></html>".getBytes(StandardCharsets.UTF_8),
					Duration.ZERO);
		}
		return new Reply.Whole(200, Map.of("Content-Type", file.mimetype()), file.bytes(), Duration.ZERO);
	}

	private ObjectNode fileJson(StoredFile file) {
		String url = uri() + "/files-pri/" + TEAM + "-" + file.id() + "/" + file.name();
		return Json.object()
			.put("id", file.id())
			.put("name", file.name())
			.put("title", file.name())
			.put("mimetype", file.mimetype())
			.put("size", file.bytes().length)
			.put("url_private", url)
			.put("url_private_download", uri() + "/files-pri/" + TEAM + "-" + file.id() + "/download/" + file.name());
	}

	/** Slack's limits on a message's text and blocks; the error code, or null. */
	private String checkContent(Map<String, String> params) {
		String text = params.get("text");
		String blocks = params.get("blocks");
		if ((text == null || text.isEmpty()) && (blocks == null || blocks.equals("[]"))) {
			return "no_text";
		}
		if (text != null && text.length() > 40_000) {
			return "msg_too_long";
		}
		if (blocks != null) {
			try {
				return checkBlocks(Json.read(blocks));
			}
			catch (RuntimeException notJson) {
				return "invalid_blocks";
			}
		}
		return null;
	}

	private static String checkBlocks(JsonNode blocks) {
		if (blocks.isMissingNode() || blocks.isNull()) {
			return null;
		}
		if (!blocks.isArray() || blocks.size() > 100) {
			return "invalid_blocks";
		}
		Set<String> actionIds = new HashSet<>();
		for (JsonNode block : blocks) {
			if (!BLOCK_TYPES.contains(block.path("type").asText())) {
				return "invalid_blocks";
			}
			if (block.path("text").path("text").asText().length() > 3000) {
				return "invalid_blocks";
			}
			List<JsonNode> elements = new ArrayList<>();
			block.path("elements").forEach(elements::add);
			if (block.has("accessory")) {
				elements.add(block.get("accessory"));
			}
			if (block.has("element")) {
				elements.add(block.get("element"));
			}
			if ("actions".equals(block.path("type").asText()) && elements.size() > 25) {
				return "invalid_blocks";
			}
			for (JsonNode element : elements) {
				String actionId = element.path("action_id").asText(null);
				if (actionId != null && !actionIds.add(actionId)) {
					return "invalid_blocks"; // action ids must be unique in a view or
												// message
				}
				if ("button".equals(element.path("type").asText())) {
					if (element.path("text").path("text").asText().length() > 75
							|| element.path("value").asText("").length() > 2000) {
						return "invalid_blocks";
					}
				}
				if ("static_select".equals(element.path("type").asText()) && element.path("options").size() > 100) {
					return "invalid_blocks";
				}
			}
		}
		return null;
	}

	private static JsonNode blocks(Map<String, String> params) {
		String blocks = params.get("blocks");
		return blocks == null ? null : Json.read(blocks);
	}

	private String nextTs() {
		long micros = clock.incrementAndGet();
		return (micros / 1_000_000) + "." + String.format("%06d", micros % 1_000_000);
	}

	private static Reply ok(ObjectNode body) {
		ObjectNode answer = Json.object().put("ok", true);
		answer.setAll(body);
		return Reply.json(200, Json.write(answer));
	}

	private static Reply error(String code) {
		return Reply.json(200, "{\"ok\":false,\"error\":\"" + code + "\"}");
	}

	private static Map<String, String> params(RecordedRequest request) {
		Map<String, String> params = new LinkedHashMap<>(form(request.query()));
		String type = request.header("Content-Type");
		if (type != null && type.startsWith("application/json") && request.body().length > 0) {
			request.json()
				.fields()
				.forEachRemaining(field -> params.put(field.getKey(),
						field.getValue().isTextual() ? field.getValue().asText() : Json.write(field.getValue())));
		}
		else if (request.body().length > 0) {
			params.putAll(form(request.bodyText()));
		}
		return params;
	}

	private static Map<String, String> form(String encoded) {
		Map<String, String> values = new LinkedHashMap<>();
		if (encoded == null || encoded.isEmpty()) {
			return values;
		}
		for (String pair : encoded.split("&")) {
			int eq = pair.indexOf('=');
			String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
			values.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
		}
		return values;
	}

	// ------------------------------------------------ Slack calling the app

	/** The app's answer to a request Slack sent. */
	public record Delivery(int status, String body) {
	}

	/** POSTs a body to the app, signed now with the signing secret. */
	public Delivery deliver(URI app, String contentType, String body, Map<String, String> extraHeaders) {
		return deliverSigned(app, contentType, body, Instant.now().getEpochSecond(), SIGNING_SECRET, extraHeaders);
	}

	/** POSTs a body signed at {@code timestamp} with {@code secret}. */
	public Delivery deliverSigned(URI app, String contentType, String body, long timestamp, String secret,
			Map<String, String> extraHeaders) {
		HttpRequest.Builder request = HttpRequest.newBuilder(app)
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", contentType)
			.header("X-Slack-Request-Timestamp", Long.toString(timestamp))
			.header("X-Slack-Signature", signature(secret, timestamp, body))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		extraHeaders.forEach(request::header);
		try {
			HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Delivery(response.statusCode(), response.body());
		}
		catch (Exception failed) {
			throw new IllegalStateException("could not reach the app at " + app, failed);
		}
	}

	/** An Events API event callback, JSON. */
	public Delivery deliverEvent(URI app, String eventId, JsonNode event, Integer retryNum) {
		Map<String, String> headers = retryNum == null ? Map.of()
				: Map.of("X-Slack-Retry-Num", retryNum.toString(), "X-Slack-Retry-Reason", "http_timeout");
		return deliver(app, "application/json", Json.write(eventCallback(eventId, event)), headers);
	}

	/** A slash command, form-encoded, with a {@code response_url} on this fake. */
	public Delivery deliverCommand(URI app, String command, String text, String user, String channel) {
		return deliver(app, "application/x-www-form-urlencoded", commandForm(command, text, user, channel), Map.of());
	}

	/** An interactivity payload (e.g. block_actions), form-encoded as Slack sends it. */
	public Delivery deliverInteraction(URI app, JsonNode payload) {
		return deliver(app, "application/x-www-form-urlencoded",
				"payload=" + URLEncoder.encode(Json.write(payload), StandardCharsets.UTF_8), Map.of());
	}

	public static String signature(String secret, long timestamp, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
			return "v0=" + java.util.HexFormat.of().formatHex(digest);
		}
		catch (GeneralSecurityException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	public ObjectNode eventCallback(String eventId, JsonNode event) {
		ObjectNode callback = Json.object()
			.put("token", "legacy-verification-token")
			.put("team_id", TEAM)
			.put("api_app_id", APP_ID)
			.put("type", "event_callback")
			.put("event_id", eventId)
			.put("event_time", Instant.now().getEpochSecond())
			.put("event_context", "4-fake");
		callback.set("event", event);
		callback.putArray("authorizations")
			.addObject()
			.put("team_id", TEAM)
			.put("user_id", BOT_USER)
			.put("is_bot", true)
			.put("is_enterprise_install", false);
		return callback;
	}

	/** A {@code message} event of a person, top-level when {@code threadTs} is null. */
	public static ObjectNode message(String channel, String channelType, String user, String text, String ts,
			String threadTs) {
		ObjectNode event = Json.object()
			.put("type", "message")
			.put("channel", channel)
			.put("user", user)
			.put("text", text)
			.put("ts", ts)
			.put("event_ts", ts)
			.put("channel_type", channelType)
			.put("client_msg_id", UUID.randomUUID().toString());
		if (threadTs != null) {
			event.put("thread_ts", threadTs).put("parent_user_id", user);
		}
		return event;
	}

	/** A {@code message} event with files ({@code subtype: file_share}). */
	public ObjectNode messageWithFiles(String channel, String user, String text, String ts, String... fileIds) {
		ObjectNode event = message(channel, "channel", user, text, ts, null).put("subtype", "file_share")
			.put("upload", false);
		ArrayNode list = event.putArray("files");
		for (String id : fileIds) {
			list.add(fileJson(files.get(id)));
		}
		return event;
	}

	/** An {@code app_mention} event. */
	public static ObjectNode mention(String channel, String user, String text, String ts, String threadTs) {
		ObjectNode event = Json.object()
			.put("type", "app_mention")
			.put("channel", channel)
			.put("user", user)
			.put("text", text)
			.put("ts", ts)
			.put("event_ts", ts);
		if (threadTs != null) {
			event.put("thread_ts", threadTs);
		}
		return event;
	}

	public String commandForm(String command, String text, String user, String channel) {
		Map<String, String> fields = commandFields(command, text, user, channel);
		StringBuilder form = new StringBuilder();
		fields.forEach((key, value) -> form.append(form.isEmpty() ? "" : "&")
			.append(key)
			.append('=')
			.append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
		return form.toString();
	}

	public Map<String, String> commandFields(String command, String text, String user, String channel) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("token", "legacy-verification-token");
		fields.put("team_id", TEAM);
		fields.put("team_domain", "fake");
		fields.put("channel_id", channel);
		fields.put("channel_name", channel.startsWith("D") ? "directmessage" : "general");
		fields.put("user_id", user);
		fields.put("user_name", userNames.getOrDefault(user, user.toLowerCase()));
		fields.put("command", command);
		fields.put("text", text);
		fields.put("api_app_id", APP_ID);
		fields.put("is_enterprise_install", "false");
		fields.put("response_url", uri() + "/response/" + ids.incrementAndGet());
		fields.put("trigger_id", ids.incrementAndGet() + ".fake.trigger");
		return fields;
	}

	/**
	 * The {@code block_actions} payload Slack sends when a user presses a button on one
	 * of the bot's messages.
	 */
	public ObjectNode buttonPress(String user, Message message, String actionId) {
		JsonNode button = findElement(message.blocks(), element -> actionId.equals(element.path("action_id").asText()));
		if (button == null) {
			throw new IllegalArgumentException("no element " + actionId + " on message " + message.ts());
		}
		ObjectNode payload = interaction(user, "block_actions");
		payload.putObject("container")
			.put("type", "message")
			.put("message_ts", message.ts())
			.put("channel_id", message.channel())
			.put("is_ephemeral", false)
			.put("thread_ts", message.threadTs());
		payload.putObject("channel").put("id", message.channel()).put("name", "general");
		ObjectNode shown = payload.putObject("message")
			.put("type", "message")
			.put("user", BOT_USER)
			.put("ts", message.ts())
			.put("text", message.text());
		if (message.threadTs() != null) {
			shown.put("thread_ts", message.threadTs());
		}
		shown.set("blocks", message.blocks());
		payload.putArray("actions")
			.addObject()
			.put("type", "button")
			.put("action_id", actionId)
			.put("block_id", "b1")
			.put("value", button.path("value").asText())
			.put("action_ts", nextTs())
			.set("text", button.path("text"));
		return payload;
	}

	/** A button press on an ephemeral message (a slash command's answer). */
	public ObjectNode ephemeralButtonPress(String user, String channel, JsonNode blocks, String actionId) {
		JsonNode button = findElement(blocks, element -> actionId.equals(element.path("action_id").asText()));
		ObjectNode payload = interaction(user, "block_actions");
		payload.putObject("container")
			.put("type", "message")
			.put("message_ts", nextTs())
			.put("channel_id", channel)
			.put("is_ephemeral", true);
		payload.putObject("channel").put("id", channel).put("name", "general");
		payload.putArray("actions")
			.addObject()
			.put("type", "button")
			.put("action_id", actionId)
			.put("block_id", "b1")
			.put("value", button.path("value").asText())
			.put("action_ts", nextTs());
		return payload;
	}

	/** A selection in a static select of a published App Home view. */
	public ObjectNode homeSelect(String user, JsonNode view, String actionId, String value) {
		ObjectNode payload = interaction(user, "block_actions");
		payload.putObject("container").put("type", "view").put("view_id", view.path("id").asText());
		payload.set("view", view);
		ObjectNode action = payload.putArray("actions")
			.addObject()
			.put("type", "static_select")
			.put("action_id", actionId)
			.put("block_id", "b1")
			.put("action_ts", nextTs());
		action.putObject("selected_option")
			.put("value", value)
			.putObject("text")
			.put("type", "plain_text")
			.put("text", value);
		return payload;
	}

	/** A button press in a published App Home view. */
	public ObjectNode homeButton(String user, JsonNode view, String actionId) {
		JsonNode button = findElement(view.path("blocks"),
				element -> actionId.equals(element.path("action_id").asText()));
		if (button == null) {
			throw new IllegalArgumentException("no element " + actionId + " in the view");
		}
		ObjectNode payload = interaction(user, "block_actions");
		payload.putObject("container").put("type", "view").put("view_id", view.path("id").asText());
		payload.set("view", view);
		payload.putArray("actions")
			.addObject()
			.put("type", "button")
			.put("action_id", actionId)
			.put("block_id", "b1")
			.put("value", button.path("value").asText())
			.put("action_ts", nextTs());
		return payload;
	}

	/** The {@code view_submission} of a modal, with one text input's value. */
	public ObjectNode viewSubmission(String user, JsonNode view, String blockId, String actionId, String value) {
		ObjectNode payload = interaction(user, "view_submission");
		ObjectNode submitted = (ObjectNode) view.deepCopy();
		ObjectNode input = submitted.putObject("state").putObject("values").putObject(blockId).putObject(actionId);
		input.put("type", "plain_text_input");
		if (value == null) {
			input.putNull("value");
		}
		else {
			input.put("value", value);
		}
		payload.set("view", submitted);
		return payload;
	}

	private ObjectNode interaction(String user, String type) {
		ObjectNode payload = Json.object()
			.put("type", type)
			.put("api_app_id", APP_ID)
			.put("token", "legacy-verification-token")
			.put("trigger_id", ids.incrementAndGet() + ".fake.trigger")
			.put("response_url", uri() + "/response/" + ids.incrementAndGet())
			.put("is_enterprise_install", false);
		payload.putObject("user")
			.put("id", user)
			.put("username", userNames.getOrDefault(user, user.toLowerCase()))
			.put("name", userNames.getOrDefault(user, user.toLowerCase()))
			.put("team_id", TEAM);
		payload.putObject("team").put("id", TEAM).put("domain", "fake");
		return payload;
	}

	private static JsonNode findElement(JsonNode node, Predicate<JsonNode> match) {
		if (node == null) {
			return null;
		}
		if (node.isObject() && node.has("action_id") && match.test(node)) {
			return node;
		}
		for (JsonNode child : node) {
			JsonNode found = findElement(child, match);
			if (found != null) {
				return found;
			}
		}
		return null;
	}

}
