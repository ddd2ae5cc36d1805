package io.switchboard.fakes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A fake of the LINE platform, both ways, in its real wire format.
 *
 * <p>
 * As the Messaging API (one server for {@code api.line.me} and {@code api-data.line.me}):
 * reply ({@code POST /v2/bot/message/reply}: a token this fake issued, unused, not
 * expired, else 400 {@code Invalid reply token}), push
 * ({@code POST /v2/bot/message/push}, with {@code X-Line-Retry-Key}: a key seen before
 * answers 409 and sends nothing), the loading animation, message content, profiles, and
 * the rich menu endpoints. It wants {@code Authorization: Bearer <token>} (401 otherwise)
 * and checks messages as LINE does (1-5 per call, text at most 5,000 characters, at most
 * 13 quick replies, image URLs HTTPS), answering LINE's error JSON
 * {@code {"message","details":[{"message","property"}]}}.
 *
 * <p>
 * As the platform calling a bot: builds webhook events, issues their reply tokens, and
 * delivers bodies signed with the channel secret ({@code x-line-signature}).
 */
public final class FakeLine extends FakeHttpServer {

	private final String channelSecret;

	private final String accessToken;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final AtomicInteger ids = new AtomicInteger();

	/** Reply tokens issued, and whether each may still be used. */
	private final Map<String, Boolean> replyTokens = new ConcurrentHashMap<>();

	private final Set<String> retryKeys = ConcurrentHashMap.newKeySet();

	private final Map<String, byte[]> contents = new ConcurrentHashMap<>();

	private final Map<String, String> profiles = new ConcurrentHashMap<>();

	private final Map<String, String> richMenus = new ConcurrentHashMap<>();

	private final List<Sent> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

	private volatile String defaultRichMenu;

	private FakeLine(String channelSecret, String accessToken) {
		this.channelSecret = channelSecret;
		this.accessToken = accessToken;
	}

	public static FakeLine start(String channelSecret, String accessToken) {
		return new FakeLine(channelSecret, accessToken);
	}

	public String channelSecret() {
		return channelSecret;
	}

	public String accessToken() {
		return accessToken;
	}

	// ------------------------------------------------------------ what was sent

	/**
	 * A reply or push LINE accepted.
	 *
	 * @param how {@code reply} or {@code push}
	 * @param to the push target, {@code null} for a reply
	 * @param replyToken the reply token, {@code null} for a push
	 * @param retryKey the push's {@code X-Line-Retry-Key}, or {@code null}
	 * @param atNanos when the fake took it ({@link System#nanoTime()})
	 */
	public record Sent(String how, String to, String replyToken, String retryKey, JsonNode messages, long atNanos) {

		/** The texts of the text messages. */
		public List<String> texts() {
			List<String> texts = new ArrayList<>();
			messages.forEach(message -> {
				if ("text".equals(message.path("type").asText())) {
					texts.add(message.path("text").asText());
				}
			});
			return texts;
		}

		/** The postback data of the quick reply buttons of the last message. */
		public List<String> quickReplyData() {
			List<String> data = new ArrayList<>();
			messages.get(messages.size() - 1)
				.path("quickReply")
				.path("items")
				.forEach(item -> data.add(item.path("action").path("data").asText()));
			return data;
		}

		public List<JsonNode> ofType(String type) {
			List<JsonNode> found = new ArrayList<>();
			messages.forEach(message -> {
				if (type.equals(message.path("type").asText())) {
					found.add(message);
				}
			});
			return found;
		}

	}

	/** Every accepted reply and push, oldest first. */
	public List<Sent> sent() {
		return List.copyOf(sent);
	}

	/**
	 * Accepted replies and pushes to one chat (a reply counts for the chat of its token).
	 */
	public List<Sent> sentTo(String chatId) {
		return sent.stream()
			.filter(s -> chatId.equals(s.to()) || chatIdOfToken(s.replyToken()).equals(chatId))
			.toList();
	}

	private final Map<String, String> tokenChats = new ConcurrentHashMap<>();

	private String chatIdOfToken(String token) {
		return token == null ? "" : tokenChats.getOrDefault(token, "");
	}

	/** Requests to a path, oldest first. */
	public List<RecordedRequest> requestsTo(String path) {
		return requests().stream().filter(request -> request.path().equals(path)).toList();
	}

	// ------------------------------------------------------------ set-up

	/** Content the content API serves for a message id. */
	public FakeLine content(String messageId, byte[] bytes) {
		contents.put(messageId, bytes);
		return this;
	}

	/** Stops serving a message's content, as LINE does after a while (404). */
	public FakeLine forgetContent(String messageId) {
		contents.remove(messageId);
		return this;
	}

	/** A user's display name for the profile endpoints. */
	public FakeLine profile(String userId, String displayName) {
		profiles.put(userId, displayName);
		return this;
	}

	private final AtomicInteger lostPushAnswers = new AtomicInteger();

	private final AtomicInteger failedReplies = new AtomicInteger();

	/**
	 * The answers to the next {@code count} pushes are lost: LINE takes each push (it is
	 * sent, its retry key used) but the connection drops before the answer, so the caller
	 * cannot know it went out.
	 */
	public FakeLine losePushAnswers(int count) {
		lostPushAnswers.set(count);
		return this;
	}

	/**
	 * The next {@code count} replies fail as LINE does when it has a problem of its own:
	 * 500, nothing sent, the reply token left unused.
	 */
	public FakeLine failReplies(int count) {
		failedReplies.set(count);
		return this;
	}

	/** Makes a reply token unusable, as a minute's wait would. */
	public void expire(String replyToken) {
		replyTokens.put(replyToken, false);
	}

	public String defaultRichMenu() {
		return defaultRichMenu;
	}

	/** The rich menu's image content type, by rich menu id, once uploaded. */
	public Map<String, String> richMenuImages() {
		return Map.copyOf(richMenus);
	}

	@Override
	public void reset() {
		super.reset();
		sent.clear();
	}

	// ------------------------------------------------------------ the API

	@Override
	protected Reply answer(RecordedRequest request) {
		if (!("Bearer " + accessToken).equals(request.header("Authorization"))) {
			return error(401,
					"Authentication failed. Confirm that the access token in the authorization header is valid.");
		}
		String path = request.path();
		String method = request.method();
		if (method.equals("POST") && path.equals("/v2/bot/message/reply")) {
			return reply(request);
		}
		if (method.equals("POST") && path.equals("/v2/bot/message/push")) {
			return push(request);
		}
		if (method.equals("POST") && path.equals("/v2/bot/chat/loading/start")) {
			JsonNode body = request.json();
			int seconds = body.path("loadingSeconds").asInt(20);
			if (!body.path("chatId").isTextual() || seconds < 5 || seconds > 60 || seconds % 5 != 0) {
				return error(400, "The request body has 1 error(s)", "loadingSeconds", "invalid");
			}
			return Reply.json(202, "{}");
		}
		Matcher content = Pattern.compile("/v2/bot/message/([^/]+)/content").matcher(path);
		if (method.equals("GET") && content.matches()) {
			byte[] bytes = contents.get(content.group(1));
			if (bytes == null) {
				return error(404, "Not found");
			}
			return new Reply.Whole(200, Map.of("Content-Type", "image/jpeg"), bytes, Duration.ZERO);
		}
		Matcher profile = Pattern.compile("/v2/bot/(?:profile|group/[^/]+/member|room/[^/]+/member)/([^/]+)")
			.matcher(path);
		if (method.equals("GET") && profile.matches()) {
			String name = profiles.get(profile.group(1));
			if (name == null) {
				return error(404, "Not found");
			}
			return Reply.json(200, Json.write(Json.object().put("displayName", name).put("userId", profile.group(1))));
		}
		if (method.equals("POST") && path.equals("/v2/bot/richmenu")) {
			JsonNode menu = request.json();
			if (!menu.path("size").path("width").isNumber() || !menu.path("areas").isArray()
					|| menu.path("areas").size() > 20 || menu.path("chatBarText").asText().length() > 14) {
				return error(400, "The request body has 1 error(s)", "richMenu", "invalid");
			}
			String id = "richmenu-" + UUID.randomUUID().toString().replace("-", "");
			richMenus.put(id, "");
			return Reply.json(200, Json.write(Json.object().put("richMenuId", id)));
		}
		Matcher menuImage = Pattern.compile("/v2/bot/richmenu/([^/]+)/content").matcher(path);
		if (method.equals("POST") && menuImage.matches()) {
			String type = String.valueOf(request.header("Content-Type"));
			if (!richMenus.containsKey(menuImage.group(1))) {
				return error(404, "Not found");
			}
			if (!(type.startsWith("image/png") || type.startsWith("image/jpeg")) || request.body().length > 1_048_576) {
				return error(400, "Invalid image");
			}
			richMenus.put(menuImage.group(1), type);
			return Reply.json(200, "{}");
		}
		Matcher defaultMenu = Pattern.compile("/v2/bot/user/all/richmenu/([^/]+)").matcher(path);
		if (method.equals("POST") && defaultMenu.matches()) {
			if (richMenus.getOrDefault(defaultMenu.group(1), "").isEmpty()) {
				return error(400, "must upload richmenu image before applying it to user");
			}
			defaultRichMenu = defaultMenu.group(1);
			return Reply.json(200, "{}");
		}
		return error(404, "Not found");
	}

	private Reply reply(RecordedRequest request) {
		JsonNode body = request.json();
		String token = body.path("replyToken").asText();
		Reply invalid = checkMessages(body.path("messages"));
		if (invalid != null) {
			return invalid;
		}
		if (failedReplies.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
			return error(500, "An error occurred in the server.");
		}
		if (!Boolean.TRUE.equals(replyTokens.replace(token, true, false))) {
			return error(400, "Invalid reply token");
		}
		sent.add(new Sent("reply", null, token, null, body.path("messages"), System.nanoTime()));
		return Reply.json(200, Json.write(sentMessages(body.path("messages"))));
	}

	private Reply push(RecordedRequest request) {
		JsonNode body = request.json();
		Reply invalid = checkMessages(body.path("messages"));
		if (invalid != null) {
			return invalid;
		}
		if (!body.path("to").isTextual() || body.path("to").asText().isBlank()) {
			return error(400, "The request body has 1 error(s)", "to", "must be specified");
		}
		String retryKey = request.header("X-Line-Retry-Key");
		if (retryKey != null) {
			try {
				UUID.fromString(retryKey);
			}
			catch (IllegalArgumentException notUuid) {
				return error(400, "The value of the X-Line-Retry-Key header is invalid");
			}
			if (!retryKeys.add(retryKey)) {
				return Reply.json(409, "{\"message\":\"The retry key is already accepted\",\"sentMessages\":[]}")
					.withHeader("x-line-accepted-request-id", UUID.randomUUID().toString());
			}
		}
		sent.add(new Sent("push", body.path("to").asText(), null, retryKey, body.path("messages"), System.nanoTime()));
		if (lostPushAnswers.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
			return new Reply.Stream(200, Map.of("Content-Type", "application/json"), List.of(new Step.Drop()),
					Duration.ZERO);
		}
		return Reply.json(200, Json.write(sentMessages(body.path("messages"))));
	}

	private static ObjectNode sentMessages(JsonNode messages) {
		ObjectNode answer = Json.object();
		ArrayNode sentMessages = answer.putArray("sentMessages");
		for (int i = 0; i < messages.size(); i++) {
			sentMessages.addObject().put("id", String.valueOf(System.nanoTime() + i)).put("quoteToken", "q" + i);
		}
		return answer;
	}

	/** LINE's checks of a message array, with its error JSON. */
	private static Reply checkMessages(JsonNode messages) {
		if (!messages.isArray() || messages.isEmpty() || messages.size() > 5) {
			return error(400, "The request body has 1 error(s)", "messages", "Size must be between 1 and 5");
		}
		for (int i = 0; i < messages.size(); i++) {
			JsonNode message = messages.get(i);
			String type = message.path("type").asText();
			String property = "messages[" + i + "]";
			switch (type) {
				case "text" -> {
					String text = message.path("text").asText("");
					if (text.isEmpty() || text.length() > 5000) {
						return error(400, "The request body has 1 error(s)", property + ".text",
								"Length must be between 1 and 5000");
					}
				}
				case "image" -> {
					if (!message.path("originalContentUrl").asText().startsWith("https://")
							|| !message.path("previewImageUrl").asText().startsWith("https://")) {
						return error(400, "The request body has 1 error(s)", property + ".originalContentUrl",
								"must be a valid HTTPS URL");
					}
				}
				case "audio" -> {
					// an HTTPS link of at most 2,000 characters, and the length in
					// milliseconds
					String url = message.path("originalContentUrl").asText();
					if (!url.startsWith("https://") || url.length() > 2000) {
						return error(400, "The request body has 1 error(s)", property + ".originalContentUrl",
								"must be a valid HTTPS URL");
					}
					if (!message.path("duration").canConvertToLong() || message.path("duration").asLong() <= 0) {
						return error(400, "The request body has 1 error(s)", property + ".duration",
								"must be specified");
					}
				}
				case "flex" -> {
					if (message.path("altText").asText("").isEmpty() || !message.path("contents").isObject()) {
						return error(400, "The request body has 1 error(s)", property + ".contents", "invalid");
					}
				}
				case "template" -> {
					if (message.path("altText").asText("").isEmpty()) {
						return error(400, "The request body has 1 error(s)", property + ".altText",
								"must be specified");
					}
				}
				default -> {
					return error(400, "The request body has 1 error(s)", property + ".type", "invalid type " + type);
				}
			}
			JsonNode items = message.path("quickReply").path("items");
			if (items.size() > 13) {
				return error(400, "The request body has 1 error(s)", property + ".quickReply.items",
						"Size must be between 1 and 13");
			}
			for (JsonNode item : items) {
				JsonNode action = item.path("action");
				if (action.path("label").asText("").length() > 20 || action.path("data").asText("").length() > 300) {
					return error(400, "The request body has 1 error(s)", property + ".quickReply.items[].action",
							"label at most 20 characters, data at most 300");
				}
			}
		}
		return null;
	}

	private static Reply error(int status, String message) {
		return Reply.json(status, Json.write(Json.object().put("message", message)));
	}

	private static Reply error(int status, String message, String property, String detail) {
		ObjectNode body = Json.object().put("message", message);
		body.putArray("details").addObject().put("message", detail).put("property", property);
		return Reply.json(status, Json.write(body));
	}

	// ------------------------------------------------------------ the platform side

	/** A new event id, as LINE's ULIDs look. */
	public String eventId() {
		return "01FAKE" + String.format("%020d", ids.incrementAndGet());
	}

	/** A new reply token for an event in a chat. */
	public String replyToken(String chatId) {
		String token = UUID.randomUUID().toString().replace("-", "");
		replyTokens.put(token, true);
		tokenChats.put(token, chatId);
		return token;
	}

	private ObjectNode base(String type, ObjectNode source, Instant at) {
		ObjectNode event = Json.object().put("type", type);
		event.put("mode", "active").put("timestamp", at.toEpochMilli()).put("webhookEventId", eventId());
		event.set("source", source);
		event.putObject("deliveryContext").put("isRedelivery", false);
		return event;
	}

	public static ObjectNode user(String userId) {
		return Json.object().put("type", "user").put("userId", userId);
	}

	public static ObjectNode group(String groupId, String userId) {
		return Json.object().put("type", "group").put("groupId", groupId).put("userId", userId);
	}

	public static ObjectNode room(String roomId, String userId) {
		return Json.object().put("type", "room").put("roomId", roomId).put("userId", userId);
	}

	private static String chatOf(ObjectNode source) {
		return source.has("groupId") ? source.get("groupId").asText()
				: source.has("roomId") ? source.get("roomId").asText() : source.path("userId").asText();
	}

	/** A message event with a fresh reply token. */
	public ObjectNode message(ObjectNode source, ObjectNode message, Instant at) {
		ObjectNode event = base("message", source, at);
		event.put("replyToken", replyToken(chatOf(source)));
		message.put("id", String.valueOf(100_000 + ids.incrementAndGet()));
		message.put("quoteToken", "quote-" + ids.get());
		event.set("message", message);
		return event;
	}

	public ObjectNode text(ObjectNode source, String text) {
		return message(source, Json.object().put("type", "text").put("text", text), Instant.now());
	}

	/** A text that mentions the bot itself at its start ({@code @Bot ...}). */
	public ObjectNode textMentioningBot(ObjectNode source, String botName, String question) {
		String text = "@" + botName + " " + question;
		ObjectNode message = Json.object().put("type", "text").put("text", text);
		message.putObject("mention")
			.putArray("mentionees")
			.addObject()
			.put("index", 0)
			.put("length", botName.length() + 1)
			.put("type", "user")
			.put("userId", "Ubot")
			.put("isSelf", true);
		return message(source, message, Instant.now());
	}

	/** An image message whose content the content API serves. */
	public ObjectNode image(ObjectNode source, byte[] bytes) {
		ObjectNode event = message(source,
				(ObjectNode) Json.object()
					.put("type", "image")
					.set("contentProvider", Json.object().put("type", "line")),
				Instant.now());
		content(event.path("message").path("id").asText(), bytes);
		return event;
	}

	/** A voice message of {@code durationMs} whose content the content API serves. */
	public ObjectNode audio(ObjectNode source, byte[] bytes, long durationMs) {
		ObjectNode event = message(source,
				(ObjectNode) Json.object()
					.put("type", "audio")
					.put("duration", durationMs)
					.set("contentProvider", Json.object().put("type", "line")),
				Instant.now());
		content(event.path("message").path("id").asText(), bytes);
		return event;
	}

	public ObjectNode sticker(ObjectNode source) {
		return message(source,
				Json.object()
					.put("type", "sticker")
					.put("packageId", "446")
					.put("stickerId", "1988")
					.put("stickerResourceType", "STATIC"),
				Instant.now());
	}

	public ObjectNode follow(ObjectNode source) {
		ObjectNode event = base("follow", source, Instant.now());
		event.put("replyToken", replyToken(chatOf(source)));
		event.putObject("follow").put("isUnblocked", false);
		return event;
	}

	public ObjectNode unfollow(ObjectNode source) {
		return base("unfollow", source, Instant.now());
	}

	public ObjectNode postback(ObjectNode source, String data) {
		ObjectNode event = base("postback", source, Instant.now());
		event.put("replyToken", replyToken(chatOf(source)));
		event.putObject("postback").put("data", data);
		return event;
	}

	/** A webhook body holding these events. */
	public static String body(JsonNode... events) {
		ObjectNode body = Json.object().put("destination", "Ubotdestination0000000000000000000");
		ArrayNode array = body.putArray("events");
		for (JsonNode event : events) {
			array.add(event);
		}
		return Json.write(body);
	}

	/** base64(HMAC-SHA256(channel secret, body)), LINE's {@code x-line-signature}. */
	public String sign(byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(channelSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return Base64.getEncoder().encodeToString(mac.doFinal(body));
		}
		catch (GeneralSecurityException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	/** Posts a signed body to a bot's webhook, as LINE does. */
	public HttpResponse<String> deliver(URI webhook, String body) {
		return post(webhook, body, sign(body.getBytes(StandardCharsets.UTF_8)));
	}

	/** Posts a body with any signature header, or none when {@code signature} is null. */
	public HttpResponse<String> post(URI webhook, String body, String signature) {
		HttpRequest.Builder request = HttpRequest.newBuilder(webhook)
			.header("Content-Type", "application/json; charset=UTF-8")
			.header("User-Agent", "LineBotWebhook/2.0")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (signature != null) {
			request.header("x-line-signature", signature);
		}
		try {
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception failed) {
			throw new IllegalStateException("posting to the webhook failed", failed);
		}
	}

}
