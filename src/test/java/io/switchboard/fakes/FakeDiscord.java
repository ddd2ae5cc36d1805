package io.switchboard.fakes;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A fake Discord on 127.0.0.1 for JDA: the REST API under {@code /api/v10/} and the
 * gateway WebSocket, both in Discord's wire format.
 *
 * <p>
 * REST: {@code users/@me}, {@code gateway} and {@code gateway/bot}, application commands
 * (global and per guild, bulk overwrite), the interaction callback (answering with
 * {@code with_response}'s {@code {interaction, resource}}), the interaction webhooks
 * (follow-ups, the original response, edits), channel messages (create, edit, delete,
 * get, JSON or multipart with files), reactions ({@code @me}), DM channels, and the CDN
 * path of attachments. Every bot message is kept with the history of its contents, its
 * components, files and reactions, so tests read what a person would see.
 *
 * <p>
 * Gateway: HELLO, IDENTIFY (a wrong token closes with 4004), READY with a
 * {@code resume_gateway_url} pointing back here and the guild unavailable, then the
 * guild's GUILD_CREATE; heartbeats are acknowledged and RESUME answered with RESUMED.
 * Payloads are zlib-stream compressed when the client asks for it, as Discord does. Tests
 * then dispatch MESSAGE_CREATE and INTERACTION_CREATE events built from their arguments.
 */
public final class FakeDiscord implements AutoCloseable {

	public static final String TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.fake.discord-bot-token";

	public static final long BOT_ID = 1_100_000_000_000_000_001L;

	public static final long APPLICATION_ID = BOT_ID;

	public static final long GUILD_ID = 1_200_000_000_000_000_001L;

	/** The guild's {@code #general} text channel. */
	public static final long CHANNEL_ID = 1_200_000_000_000_000_101L;

	/** A second text channel, {@code #random}. */
	public static final long OTHER_CHANNEL_ID = 1_200_000_000_000_000_102L;

	/**
	 * What the bot may do in the guild: the permissions the README's invite link asks for
	 * (view channels, send messages and in threads, embed links, attach files, read
	 * message history, add reactions).
	 */
	public static final long BOT_PERMISSIONS = 274_878_024_768L;

	private static final int EPHEMERAL = 64;

	private static final int LOADING = 128;

	/** Discord's epoch (2015-01-01), the origin of the time in every snowflake. */
	private static final long DISCORD_EPOCH = 1_420_070_400_000L;

	/**
	 * Snowflakes made from the current time, as Discord's are: JDA takes an interaction's
	 * age from its id and refuses to answer one older than its 3 seconds.
	 */
	private final AtomicLong ids = new AtomicLong();

	private final Rest rest = new Rest();

	private final Gateway gateway;

	private final Map<Long, FakeMessage> messages = new ConcurrentHashMap<>();

	/** Nonces the bot's messages were created with, by channel: see enforce_nonce. */
	private final Map<String, Long> nonces = new ConcurrentHashMap<>();

	private final Map<String, Interaction> interactions = new ConcurrentHashMap<>();

	private final Map<Long, User> users = new ConcurrentHashMap<>();

	private final Map<Long, User> dmChannels = new ConcurrentHashMap<>();

	private final Map<String, byte[]> files = new ConcurrentHashMap<>();

	private final List<JsonNode> globalCommands = new CopyOnWriteArrayList<>();

	private final Map<Long, List<JsonNode>> guildCommands = new ConcurrentHashMap<>();

	private final List<JsonNode> identifies = new CopyOnWriteArrayList<>();

	private final AtomicInteger commandRegistrations = new AtomicInteger();

	private final AtomicInteger heartbeats = new AtomicInteger();

	private final AtomicInteger resumes = new AtomicInteger();

	private volatile int heartbeatInterval = 41_250;

	private FakeDiscord() {
		gateway = new Gateway();
		gateway.setReuseAddr(true);
		gateway.start();
		try {
			if (!gateway.started.await(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the fake gateway did not start");
			}
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(interrupted);
		}
	}

	private long nextId() {
		long now = (System.currentTimeMillis() - DISCORD_EPOCH) << 22;
		return ids.accumulateAndGet(now, (previous, fresh) -> Math.max(previous + 1, fresh));
	}

	public static FakeDiscord start() {
		return new FakeDiscord();
	}

	/** Where JDA's {@code RestConfig.setBaseUrl} should point. */
	public String restBaseUrl() {
		return rest.uri() + "/api/v10/";
	}

	/** Where the gateway listens. */
	public String gatewayUrl() {
		return "ws://127.0.0.1:" + gateway.getPort() + "/";
	}

	/**
	 * Answers the next REST request of {@code method} whose path matches
	 * {@code pathRegex} with Discord's 500 Internal Server Error (nothing done), as
	 * Discord fails on a bad day; JDA does not retry a 500 itself.
	 */
	public void failNext(String method, String pathRegex) {
		failures.add(new Failure(method, Pattern.compile(pathRegex)));
	}

	private record Failure(String method, Pattern path) {
	}

	private final java.util.Queue<Failure> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();

	/** Every REST request so far. */
	public List<FakeHttpServer.RecordedRequest> requests() {
		return rest.requests();
	}

	@Override
	public void close() {
		try {
			gateway.stop(1000);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
		}
		rest.close();
	}

	// ------------------------------------------------------------------ people

	/** A person (or another bot) on Discord, with a DM channel to our bot. */
	public record User(long id, String name, long dmChannelId, boolean bot) {
	}

	public User user(String name) {
		return register(new User(nextId(), name, nextId(), false));
	}

	/** Another application's bot, whose messages ours must ignore. */
	public User otherBot(String name) {
		return register(new User(nextId(), name, nextId(), true));
	}

	private User register(User user) {
		users.put(user.id(), user);
		dmChannels.put(user.dmChannelId(), user);
		return user;
	}

	// ------------------------------------------------------------------ gateway

	/** Waits until a client identified and was sent READY and the guild. */
	public void awaitReady(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (gateway.readyConnections() > 0) {
				return;
			}
			sleep(20);
		}
		throw new IllegalStateException("no client became ready on the fake gateway within " + timeout);
	}

	/** How many clients are connected and ready now. */
	public int readyConnections() {
		return gateway.readyConnections();
	}

	/**
	 * How long an interaction's acknowledgement takes before Discord records it (until
	 * then, follow-ups and edits of the original answer are refused with "Unknown
	 * Webhook", as Discord refuses them).
	 */
	public FakeDiscord slowAcknowledgements(Duration delay) {
		this.acknowledgementDelay = delay;
		return this;
	}

	private volatile Duration acknowledgementDelay = Duration.ZERO;

	/** The heartbeat interval HELLO asks for (Discord's is about 41 s). */
	public FakeDiscord heartbeatInterval(Duration interval) {
		this.heartbeatInterval = (int) interval.toMillis();
		return this;
	}

	/** Heartbeats received (each answered with an ACK). */
	public int heartbeats() {
		return heartbeats.get();
	}

	/** RESUMEs received (each answered with RESUMED). */
	public int resumes() {
		return resumes.get();
	}

	/** Every IDENTIFY payload received. */
	public List<JsonNode> identifies() {
		return List.copyOf(identifies);
	}

	/**
	 * Closes every gateway connection as Discord does when it wants a client to resume.
	 */
	public void dropConnections() {
		for (WebSocket connection : gateway.getConnections()) {
			connection.close(4000, "fake: reconnect");
		}
	}

	// ----------------------------------------------------------------- messages

	/** A file attached to a message a person sends. */
	public record Upload(String filename, String contentType, byte[] bytes) {
	}

	/** Someone writes in a guild channel; returns the message as the bot will see it. */
	public FakeMessage say(User author, long channelId, String content, Upload... uploads) {
		return send(author, channelId, true, content, uploads);
	}

	/** Someone writes to the bot in their DM. */
	public FakeMessage sayInDm(User author, String content, Upload... uploads) {
		return send(author, author.dmChannelId(), false, content, uploads);
	}

	private FakeMessage send(User author, long channelId, boolean inGuild, String content, Upload... uploads) {
		FakeMessage message = new FakeMessage(nextId(), channelId, inGuild, author.id(), 0, null, null);
		message.record(content, Json.array());
		for (Upload upload : uploads) {
			long attachmentId = nextId();
			String path = "/attachments/" + channelId + "/" + attachmentId + "/" + upload.filename();
			files.put(path, upload.bytes());
			message.files.add(new Attachment(attachmentId, upload.filename(), upload.contentType(), upload.bytes(),
					rest.uri() + path));
		}
		messages.put(message.id, message);
		ObjectNode json = messageJson(message);
		if (inGuild) {
			json.set("member", memberJson(author, false));
		}
		gateway.dispatch("MESSAGE_CREATE", json);
		return message;
	}

	/**
	 * Dispatches a person's message again, as the gateway replays the events a session
	 * missed when it resumes.
	 */
	public void redeliver(FakeMessage message) {
		ObjectNode json = messageJson(message);
		if (message.inGuild) {
			json.set("member", memberJson(users.get(message.authorId), false));
		}
		gateway.dispatch("MESSAGE_CREATE", json);
	}

	/** A message by id; fails when there is none. */
	public FakeMessage message(long id) {
		FakeMessage message = messages.get(id);
		if (message == null) {
			throw new IllegalArgumentException("no message " + id);
		}
		return message;
	}

	/** The bot's messages in a channel (not ephemeral ones), oldest first. */
	public List<FakeMessage> botMessagesIn(long channelId) {
		return messages.values()
			.stream()
			.filter(m -> m.channelId == channelId && m.authorId == BOT_ID && !m.deleted && !m.ephemeral())
			.sorted((a, b) -> Long.compare(a.id, b.id))
			.toList();
	}

	/** The bot's messages that reply to a message, oldest first. */
	public List<FakeMessage> repliesTo(FakeMessage question) {
		return messages.values()
			.stream()
			.filter(m -> m.authorId == BOT_ID && !m.deleted && Long.valueOf(question.id).equals(m.referencedId))
			.sorted((a, b) -> Long.compare(a.id, b.id))
			.toList();
	}

	// -------------------------------------------------------------- interactions

	/**
	 * {@code /name option:value ...} in a guild channel (or a DM when the channel is
	 * one).
	 */
	public Interaction slash(User user, long channelId, String name, Map<String, Object> options) {
		ObjectNode data = Json.object().put("id", Long.toString(commandId(name))).put("name", name).put("type", 1);
		ArrayNode list = data.putArray("options");
		options.forEach((key, value) -> {
			ObjectNode option = list.addObject().put("name", key);
			if (value instanceof Number number) {
				option.put("type", 4).put("value", number.longValue());
			}
			else {
				option.put("type", 3).put("value", value.toString());
			}
		});
		return interact(user, channelId, 2, data, null);
	}

	/** A message command (right click → Apps → name) on a message. */
	public Interaction messageCommand(User user, FakeMessage target, String name) {
		ObjectNode data = Json.object()
			.put("id", Long.toString(commandId(name)))
			.put("name", name)
			.put("type", 3)
			.put("target_id", Long.toString(target.id));
		data.putObject("resolved").putObject("messages").set(Long.toString(target.id), messageJson(target));
		return interact(user, target.channelId, 2, data, null);
	}

	/** Presses a button on a message. */
	public Interaction click(User user, FakeMessage message, String customId) {
		Component button = message.component(customId);
		if (button.type() != 2) {
			throw new IllegalArgumentException(customId + " is not a button");
		}
		if (button.disabled()) {
			throw new IllegalStateException("the button " + customId + " is disabled");
		}
		return forceClick(user, message, customId);
	}

	/**
	 * Sends a button press the client would not allow (a disabled button, a stale id).
	 */
	public Interaction forceClick(User user, FakeMessage message, String customId) {
		ObjectNode data = Json.object().put("custom_id", customId).put("component_type", 2);
		return interact(user, message.channelId, 3, data, message);
	}

	/** Picks values in a string select menu on a message. */
	public Interaction select(User user, FakeMessage message, String customId, String... values) {
		Component menu = message.component(customId);
		if (menu.type() != 3) {
			throw new IllegalArgumentException(customId + " is not a string select");
		}
		if (menu.disabled()) {
			throw new IllegalStateException("the menu " + customId + " is disabled");
		}
		for (String value : values) {
			if (menu.options().stream().noneMatch(option -> option.value().equals(value))) {
				throw new IllegalArgumentException(customId + " has no option " + value);
			}
		}
		return forceSelect(user, message, customId, values);
	}

	/**
	 * Sends a selection the client would not allow (a value not offered, a disabled
	 * menu).
	 */
	public Interaction forceSelect(User user, FakeMessage message, String customId, String... values) {
		ObjectNode data = Json.object().put("custom_id", customId).put("component_type", 3);
		ArrayNode chosen = data.putArray("values");
		for (String value : values) {
			chosen.add(value);
		}
		return interact(user, message.channelId, 3, data, message);
	}

	private Interaction interact(User user, long channelId, int type, ObjectNode data, FakeMessage message) {
		boolean inGuild = !dmChannels.containsKey(channelId);
		Interaction interaction = new Interaction(nextId(), "itoken-" + UUID.randomUUID().toString().replace("-", ""),
				type, user, channelId, inGuild, message == null ? null : message.id);
		interactions.put(interaction.token, interaction);
		ObjectNode json = Json.object()
			.put("id", Long.toString(interaction.id))
			.put("application_id", Long.toString(APPLICATION_ID))
			.put("type", type)
			.put("token", interaction.token)
			.put("version", 1)
			.put("channel_id", Long.toString(channelId))
			.put("locale", "en-US")
			.put("app_permissions", Long.toString(BOT_PERMISSIONS))
			.put("context", inGuild ? 0 : 1);
		json.set("data", data);
		json.set("channel", inGuild ? guildChannelJson(channelId) : dmChannelJson(user));
		ObjectNode owners = json.putObject("authorizing_integration_owners");
		if (inGuild) {
			json.put("guild_id", Long.toString(GUILD_ID)).put("guild_locale", "en-US");
			json.putObject("guild").put("id", Long.toString(GUILD_ID)).put("locale", "en-US").putArray("features");
			json.set("member", memberJson(user, true));
			owners.put("0", Long.toString(GUILD_ID));
		}
		else {
			json.set("user", userJson(user));
			owners.put("1", Long.toString(user.id()));
		}
		json.putArray("entitlements");
		if (message != null) {
			json.set("message", messageJson(message));
		}
		interaction.dispatchedAt = System.nanoTime();
		gateway.dispatch("INTERACTION_CREATE", json);
		return interaction;
	}

	/** An interaction the fake dispatched, and what the bot answered to it. */
	public final class Interaction {

		public final long id;

		public final String token;

		public final int type;

		public final User user;

		public final long channelId;

		final boolean inGuild;

		/** The message a component was used on. */
		final Long componentMessageId;

		volatile long dispatchedAt;

		volatile long callbackAt;

		volatile int callbackType;

		volatile Long originalId;

		final List<Long> followups = new CopyOnWriteArrayList<>();

		Interaction(long id, String token, int type, User user, long channelId, boolean inGuild,
				Long componentMessageId) {
			this.id = id;
			this.token = token;
			this.type = type;
			this.user = user;
			this.channelId = channelId;
			this.inGuild = inGuild;
			this.componentMessageId = componentMessageId;
		}

		/** Whether the bot has answered the interaction's callback. */
		public boolean acknowledged() {
			return callbackType != 0;
		}

		/**
		 * The callback type: 4 reply, 5 deferred reply, 6 deferred update, 7 update.
		 */
		public int callbackType() {
			return callbackType;
		}

		/** How long after dispatching the event the callback arrived. */
		public Duration acknowledgedAfter() {
			if (!acknowledged()) {
				throw new IllegalStateException("not acknowledged");
			}
			return Duration.ofNanos(callbackAt - dispatchedAt);
		}

		/** Waits for the callback. */
		public Interaction awaitAcknowledged(Duration timeout) {
			waitFor(timeout, this::acknowledged, "interaction " + id + " acknowledged");
			return this;
		}

		/**
		 * The original response: the reply (4, 5) or, for a component (6, 7), the message
		 * it is on.
		 */
		public FakeMessage original() {
			Long original = originalId;
			if (original == null) {
				throw new IllegalStateException("no original response yet (callback " + callbackType + ")");
			}
			return message(original);
		}

		/**
		 * Waits until the original response shows a real answer (not "thinking…")
		 * matching the condition.
		 */
		public FakeMessage awaitOriginal(Predicate<FakeMessage> condition, Duration timeout) {
			waitFor(timeout,
					() -> originalId != null && !message(originalId).loading() && condition.test(message(originalId)),
					"original response of interaction " + id);
			return original();
		}

		public FakeMessage awaitOriginal(Duration timeout) {
			return awaitOriginal(m -> true, timeout);
		}

		/** The follow-up messages, oldest first. */
		public List<FakeMessage> followups() {
			return followups.stream().map(FakeDiscord.this::message).toList();
		}

		public List<FakeMessage> awaitFollowups(int count, Duration timeout) {
			waitFor(timeout, () -> followups.size() >= count, count + " follow-ups of interaction " + id);
			return followups();
		}

	}

	// -------------------------------------------------------------- commands

	/** The globally registered commands (the last bulk overwrite). */
	public List<JsonNode> globalCommands() {
		return List.copyOf(globalCommands);
	}

	/** The commands registered in a guild (the last bulk overwrite). */
	public List<JsonNode> guildCommands(long guildId) {
		return List.copyOf(guildCommands.getOrDefault(guildId, List.of()));
	}

	/** How many bulk overwrites were received. */
	public int commandRegistrations() {
		return commandRegistrations.get();
	}

	private long commandId(String name) {
		return Math.abs((long) name.hashCode()) + 1_000_000_000_000_000_000L;
	}

	// -------------------------------------------------------------- messages

	/** A file on a message. */
	public record Attachment(long id, String filename, String contentType, byte[] bytes, String url) {
	}

	/** A component as the message carries it. */
	public record Component(int type, String customId, String label, int style, boolean disabled, String placeholder,
			List<Option> options) {
	}

	/** A select menu's option. */
	public record Option(String label, String value, String description, boolean isDefault) {
	}

	/** A message as Discord keeps it, with the history of its contents. */
	public final class FakeMessage {

		public final long id;

		public final long channelId;

		final boolean inGuild;

		public final long authorId;

		volatile int flags;

		/** The interaction whose response or follow-up this is. */
		final String interactionToken;

		final Long referencedId;

		private final List<String> contents = new CopyOnWriteArrayList<>();

		private volatile JsonNode components = Json.array();

		final List<Attachment> files = new CopyOnWriteArrayList<>();

		private final Set<String> reactions = new LinkedHashSet<>();

		private final List<String> reactionLog = new CopyOnWriteArrayList<>();

		volatile boolean deleted;

		volatile Instant editedAt;

		private final Instant createdAt = Instant.now();

		FakeMessage(long id, long channelId, boolean inGuild, long authorId, int flags, String interactionToken,
				Long referencedId) {
			this.id = id;
			this.channelId = channelId;
			this.inGuild = inGuild;
			this.authorId = authorId;
			this.flags = flags;
			this.interactionToken = interactionToken;
			this.referencedId = referencedId;
		}

		void record(String content, JsonNode newComponents) {
			contents.add(content == null ? "" : content);
			if (newComponents != null) {
				components = newComponents;
			}
		}

		/** What it shows now. */
		public String content() {
			return contents.isEmpty() ? "" : contents.getLast();
		}

		/** Every content it showed, the first and each edit. */
		public List<String> history() {
			return List.copyOf(contents);
		}

		public boolean ephemeral() {
			return (flags & EPHEMERAL) != 0;
		}

		/** Whether it is a deferred response still showing "thinking…". */
		public boolean loading() {
			return (flags & LOADING) != 0;
		}

		public boolean deleted() {
			return deleted;
		}

		public Long referencedId() {
			return referencedId;
		}

		public List<Attachment> files() {
			return List.copyOf(files);
		}

		/** The bot's own reactions on it now. */
		public Set<String> reactions() {
			synchronized (reactions) {
				return Set.copyOf(reactions);
			}
		}

		/** Every reaction change, in order: {@code +✍🏻}, {@code -✍🏻}, {@code +👌}. */
		public List<String> reactionLog() {
			return List.copyOf(reactionLog);
		}

		void react(String emoji, boolean add) {
			synchronized (reactions) {
				if (add) {
					reactions.add(emoji);
				}
				else {
					reactions.remove(emoji);
				}
			}
			reactionLog.add((add ? "+" : "-") + emoji);
		}

		/** Its components' rows as sent. */
		public JsonNode componentsJson() {
			return components;
		}

		/** Every button and select, row by row. */
		public List<List<Component>> rows() {
			List<List<Component>> rows = new ArrayList<>();
			for (JsonNode row : components) {
				List<Component> list = new ArrayList<>();
				for (JsonNode component : row.path("components")) {
					List<Option> options = new ArrayList<>();
					for (JsonNode option : component.path("options")) {
						options.add(new Option(option.path("label").asText(), option.path("value").asText(),
								option.path("description").asText(null), option.path("default").asBoolean(false)));
					}
					list.add(new Component(component.path("type").asInt(), component.path("custom_id").asText(null),
							component.path("label").asText(null), component.path("style").asInt(0),
							component.path("disabled").asBoolean(false), component.path("placeholder").asText(null),
							options));
				}
				rows.add(list);
			}
			return rows;
		}

		/** The component with this custom id; fails when there is none. */
		public Component component(String customId) {
			return rows().stream()
				.flatMap(List::stream)
				.filter(c -> customId.equals(c.customId()))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException(
						"no component " + customId + " on message " + id + "; it has " + customIds()));
		}

		public List<String> customIds() {
			return rows().stream().flatMap(List::stream).map(Component::customId).toList();
		}

		/** The component whose custom id starts with a prefix. */
		public Component componentStartingWith(String prefix) {
			return rows().stream()
				.flatMap(List::stream)
				.filter(c -> c.customId() != null && c.customId().startsWith(prefix))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException(
						"no component starting with " + prefix + " on message " + id + "; it has " + customIds()));
		}

		@Override
		public String toString() {
			return "FakeMessage[" + id + ", " + content() + ", " + customIds() + "]";
		}

	}

	// ------------------------------------------------------------------- JSON

	private ObjectNode userJson(User user) {
		return Json.object()
			.put("id", Long.toString(user.id()))
			.put("username", user.name())
			.put("global_name", capitalized(user.name()))
			.put("discriminator", "0")
			.putNull("avatar")
			.put("bot", user.bot())
			.put("public_flags", 0);
	}

	private ObjectNode botJson() {
		return Json.object()
			.put("id", Long.toString(BOT_ID))
			.put("username", "Switchboard")
			.putNull("global_name")
			.put("discriminator", "0")
			.putNull("avatar")
			.put("bot", true)
			.put("verified", true)
			.put("mfa_enabled", false)
			.put("flags", 0)
			.put("public_flags", 0);
	}

	private ObjectNode authorJson(long id) {
		if (id == BOT_ID) {
			return botJson();
		}
		User user = users.get(id);
		return user == null ? Json.object().put("id", Long.toString(id)).put("username", "ghost") : userJson(user);
	}

	private ObjectNode memberJson(User user, boolean withUserAndPermissions) {
		ObjectNode member = Json.object();
		member.set("user", userJson(user));
		member.putArray("roles");
		member.put("joined_at", "2024-01-01T00:00:00.000000+00:00")
			.putNull("nick")
			.putNull("avatar")
			.put("deaf", false)
			.put("mute", false)
			.put("flags", 0)
			.put("pending", false)
			.putNull("premium_since")
			.putNull("communication_disabled_until");
		if (withUserAndPermissions) {
			member.put("permissions", Long.toString(BOT_PERMISSIONS));
		}
		return member;
	}

	private ObjectNode guildChannelJson(long channelId) {
		return Json.object()
			.put("id", Long.toString(channelId))
			.put("type", 0)
			.put("guild_id", Long.toString(GUILD_ID))
			.put("name", channelId == CHANNEL_ID ? "general" : "random")
			.put("position", channelId == CHANNEL_ID ? 0 : 1)
			.putNull("topic")
			.put("nsfw", false)
			.putNull("parent_id")
			.put("rate_limit_per_user", 0)
			.put("permissions", Long.toString(BOT_PERMISSIONS))
			.put("flags", 0)
			.set("permission_overwrites", Json.array());
	}

	private ObjectNode dmChannelJson(User user) {
		ObjectNode channel = Json.object().put("id", Long.toString(user.dmChannelId())).put("type", 1).put("flags", 0);
		channel.putArray("recipients").add(userJson(user));
		return channel;
	}

	private ObjectNode messageJson(FakeMessage message) {
		ObjectNode json = Json.object()
			.put("id", Long.toString(message.id))
			.put("channel_id", Long.toString(message.channelId))
			.put("content", message.content())
			.put("timestamp", OffsetDateTime.ofInstant(message.createdAt, ZoneOffset.UTC).toString())
			.put("tts", false)
			.put("mention_everyone", false)
			.put("pinned", false)
			.put("type", message.referencedId != null ? 19 : 0)
			.put("flags", message.flags);
		if (message.editedAt == null) {
			json.putNull("edited_timestamp");
		}
		else {
			json.put("edited_timestamp", OffsetDateTime.ofInstant(message.editedAt, ZoneOffset.UTC).toString());
		}
		if (message.inGuild) {
			json.put("guild_id", Long.toString(GUILD_ID));
		}
		json.set("author", authorJson(message.authorId));
		json.putArray("mentions");
		json.putArray("mention_roles");
		json.putArray("embeds");
		ArrayNode attachments = json.putArray("attachments");
		for (Attachment file : message.files) {
			attachments.addObject()
				.put("id", Long.toString(file.id()))
				.put("filename", file.filename())
				.put("size", file.bytes().length)
				.put("url", file.url())
				.put("proxy_url", file.url())
				.put("content_type", file.contentType());
			if (file.contentType().startsWith("audio/")) {
				// what Discord adds to a voice message's attachment
				((ObjectNode) attachments.get(attachments.size() - 1)).put("duration_secs",
						Sounds.wavSeconds(file.bytes()));
			}
		}
		json.set("components", message.components);
		if (message.authorId == BOT_ID) {
			json.put("application_id", Long.toString(APPLICATION_ID));
		}
		if (message.referencedId != null) {
			ObjectNode reference = json.putObject("message_reference")
				.put("type", 0)
				.put("message_id", Long.toString(message.referencedId))
				.put("channel_id", Long.toString(message.channelId));
			if (message.inGuild) {
				reference.put("guild_id", Long.toString(GUILD_ID));
			}
		}
		return json;
	}

	private ObjectNode guildJson() {
		ObjectNode guild = Json.object()
			.put("id", Long.toString(GUILD_ID))
			.put("name", "Switchboard Test Server")
			.putNull("icon")
			.put("owner_id", "1100000000000000099")
			.put("preferred_locale", "en-US")
			.put("member_count", 3)
			.put("large", false)
			.put("unavailable", false)
			.put("premium_progress_bar_enabled", false)
			.put("afk_timeout", 300)
			.put("verification_level", 0)
			.put("default_message_notifications", 0)
			.put("explicit_content_filter", 0)
			.put("mfa_level", 0)
			.put("nsfw_level", 0)
			.put("premium_tier", 0)
			.put("system_channel_flags", 0)
			.put("joined_at", "2024-01-01T00:00:00.000000+00:00");
		ObjectNode everyone = guild.putArray("roles")
			.addObject()
			.put("id", Long.toString(GUILD_ID))
			.put("name", "@everyone")
			.put("permissions", Long.toString(BOT_PERMISSIONS))
			.put("position", 0)
			.put("color", 0)
			.put("hoist", false)
			.put("managed", false)
			.put("mentionable", false)
			.put("flags", 0);
		everyone.putObject("colors").put("primary_color", 0);
		ArrayNode channels = guild.putArray("channels");
		channels.add(guildChannelJson(CHANNEL_ID));
		channels.add(guildChannelJson(OTHER_CHANNEL_ID));
		ObjectNode self = Json.object();
		self.set("user", botJson());
		self.putArray("roles");
		self.put("joined_at", "2024-01-01T00:00:00.000000+00:00")
			.put("deaf", false)
			.put("mute", false)
			.put("flags", 0)
			.put("pending", false);
		guild.putArray("members").add(self);
		guild.putArray("threads");
		guild.putArray("guild_scheduled_events");
		guild.putArray("emojis");
		guild.putArray("stickers");
		guild.putArray("voice_states");
		guild.putArray("presences");
		guild.putArray("features");
		guild.putArray("stage_instances");
		guild.putArray("soundboard_sounds");
		return guild;
	}

	private static String capitalized(String name) {
		return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
	}

	// ------------------------------------------------------------------- REST

	private final class Rest extends FakeHttpServer {

		private static final Pattern INTERACTION_CALLBACK = Pattern
			.compile("/api/v10/interactions/(\\d+)/([^/]+)/callback");

		private static final Pattern WEBHOOK = Pattern
			.compile("/api/v10/webhooks/(\\d+)/([^/]+)(?:/messages/([^/]+))?");

		private static final Pattern CHANNEL_MESSAGES = Pattern
			.compile("/api/v10/channels/(\\d+)/messages(?:/(\\d+))?");

		private static final Pattern REACTION = Pattern
			.compile("/api/v10/channels/(\\d+)/messages/(\\d+)/reactions/([^/]+)/@me");

		private static final Pattern COMMANDS = Pattern
			.compile("/api/v10/applications/(\\d+)(?:/guilds/(\\d+))?/commands");

		@Override
		protected Reply answer(RecordedRequest request) {
			String path = request.path();
			if (path.startsWith("/attachments/")) {
				byte[] bytes = files.get(path);
				return bytes == null ? notFound(10008, "Unknown Attachment") : new Reply.Whole(200,
						Map.of("Content-Type", "application/octet-stream"), bytes, Duration.ZERO);
			}
			for (Failure failure : failures) {
				if (failure.method().equals(request.method()) && failure.path().matcher(path).matches()
						&& failures.remove(failure)) {
					return Reply.json(500, "{\"message\":\"500: Internal Server Error\",\"code\":0}");
				}
			}
			if (!("Bot " + TOKEN).equals(request.header("Authorization")) && !path.startsWith("/api/v10/webhooks/")
					&& !path.startsWith("/api/v10/interactions/")) {
				return Reply.json(401, "{\"message\":\"401: Unauthorized\",\"code\":0}");
			}
			Matcher m;
			if (path.equals("/api/v10/users/@me") && request.method().equals("GET")) {
				return ok(botJson());
			}
			if ((path.equals("/api/v10/gateway") || path.equals("/api/v10/gateway/bot"))) {
				ObjectNode gateway = Json.object().put("url", gatewayUrl()).put("shards", 1);
				gateway.putObject("session_start_limit")
					.put("total", 1000)
					.put("remaining", 999)
					.put("reset_after", 14_400_000)
					.put("max_concurrency", 1);
				return ok(gateway);
			}
			if (path.equals("/api/v10/users/@me/channels") && request.method().equals("POST")) {
				User user = users.get(request.json().path("recipient_id").asLong());
				return user == null ? notFound(10013, "Unknown User") : ok(dmChannelJson(user));
			}
			if ((m = COMMANDS.matcher(path)).matches() && request.method().equals("PUT")) {
				return commands(request, m.group(2) == null ? null : Long.parseLong(m.group(2)));
			}
			if ((m = INTERACTION_CALLBACK.matcher(path)).matches() && request.method().equals("POST")) {
				return callback(request, m.group(2));
			}
			if ((m = WEBHOOK.matcher(path)).matches()) {
				return webhook(request, m.group(2), m.group(3));
			}
			if ((m = REACTION.matcher(path)).matches()) {
				FakeMessage message = messages.get(Long.parseLong(m.group(2)));
				if (message == null || message.deleted) {
					return notFound(10008, "Unknown Message");
				}
				String emoji = URLDecoder.decode(m.group(3), StandardCharsets.UTF_8);
				message.react(emoji, request.method().equals("PUT"));
				return new Reply.Whole(204, Map.of(), new byte[0], Duration.ZERO);
			}
			if ((m = CHANNEL_MESSAGES.matcher(path)).matches()) {
				return channelMessages(request, Long.parseLong(m.group(1)),
						m.group(2) == null ? null : Long.parseLong(m.group(2)));
			}
			return notFound(0, "404: Not Found (fake has no " + request.method() + " " + path + ")");
		}

		private Reply commands(RecordedRequest request, Long guildId) {
			List<JsonNode> registered = new ArrayList<>();
			ArrayNode answer = Json.array();
			for (JsonNode command : request.json()) {
				ObjectNode copy = command.deepCopy();
				copy.put("id", Long.toString(commandId(command.path("name").asText())))
					.put("application_id", Long.toString(APPLICATION_ID))
					.put("version", "1");
				if (!copy.has("type")) {
					copy.put("type", 1);
				}
				if (guildId != null) {
					copy.put("guild_id", Long.toString(guildId));
				}
				registered.add(copy);
				answer.add(copy);
			}
			if (guildId == null) {
				globalCommands.clear();
				globalCommands.addAll(registered);
			}
			else {
				guildCommands.put(guildId, List.copyOf(registered));
			}
			commandRegistrations.incrementAndGet();
			return Reply.json(200, Json.write(answer));
		}

		private Reply callback(RecordedRequest request, String token) {
			if (!acknowledgementDelay.isZero()) {
				try {
					Thread.sleep(acknowledgementDelay);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
				}
			}
			Interaction interaction = interactions.get(token);
			if (interaction == null) {
				return notFound(10062, "Unknown interaction");
			}
			if (interaction.acknowledged()) {
				return Reply.json(400, "{\"message\":\"Interaction has already been acknowledged.\",\"code\":40060}");
			}
			Body body = body(request);
			int type = body.json().path("type").asInt();
			JsonNode data = body.json().path("data");
			FakeMessage original = null;
			switch (type) {
				case 4, 5 -> {
					int flags = data.path("flags").asInt(0) | (type == 5 ? LOADING : 0);
					original = new FakeMessage(nextId(), interaction.channelId, interaction.inGuild, BOT_ID, flags,
							token, null);
					original.record(data.path("content").asText(""), data.path("components"));
					attach(original, body);
					messages.put(original.id, original);
				}
				case 6, 7 -> {
					original = messages.get(interaction.componentMessageId);
					if (original == null) {
						return Reply.json(400, "{\"message\":\"Invalid interaction response\",\"code\":50035}");
					}
					if (type == 7) {
						edit(original, data, body);
					}
				}
				default -> {
					return Reply.json(400, "{\"message\":\"Invalid interaction response type\",\"code\":50035}");
				}
			}
			interaction.originalId = original.id;
			interaction.callbackType = type;
			interaction.callbackAt = System.nanoTime();
			ObjectNode response = Json.object();
			response.putObject("interaction")
				.put("id", Long.toString(interaction.id))
				.put("type", interaction.type)
				.put("activity_instance_id", (String) null)
				.put("response_message_id", Long.toString(original.id))
				.put("response_message_loading", type == 5)
				.put("response_message_ephemeral", original.ephemeral());
			ObjectNode resource = response.putObject("resource").put("type", type);
			if (type == 4 || type == 5 || type == 7) {
				resource.set("message", messageJson(original));
			}
			return ok(response);
		}

		private Reply webhook(RecordedRequest request, String token, String messageId) {
			Interaction interaction = interactions.get(token);
			if (interaction == null) {
				return notFound(10015, "Unknown Webhook");
			}
			if (!interaction.acknowledged()) {
				return notFound(10015, "Unknown Webhook");
			}
			if (messageId == null) {
				if (!request.method().equals("POST")) {
					return notFound(0, "405: Method Not Allowed");
				}
				Body body = body(request);
				FakeMessage followup = new FakeMessage(nextId(), interaction.channelId, interaction.inGuild, BOT_ID,
						body.json().path("flags").asInt(0), token, null);
				followup.record(body.json().path("content").asText(""), body.json().path("components"));
				attach(followup, body);
				messages.put(followup.id, followup);
				interaction.followups.add(followup.id);
				return ok(messageJson(followup));
			}
			FakeMessage message = "@original".equals(messageId)
					? (interaction.originalId == null ? null : messages.get(interaction.originalId))
					: messages.get(Long.parseLong(messageId));
			if (message == null || message.deleted) {
				return notFound(10008, "Unknown Message");
			}
			return switch (request.method()) {
				case "GET" -> ok(messageJson(message));
				case "PATCH" -> {
					Body body = body(request);
					edit(message, body.json(), body);
					yield ok(messageJson(message));
				}
				case "DELETE" -> {
					message.deleted = true;
					yield new Reply.Whole(204, Map.of(), new byte[0], Duration.ZERO);
				}
				default -> notFound(0, "405: Method Not Allowed");
			};
		}

		private Reply channelMessages(RecordedRequest request, long channelId, Long messageId) {
			boolean inGuild = !dmChannels.containsKey(channelId);
			if (inGuild && channelId != CHANNEL_ID && channelId != OTHER_CHANNEL_ID) {
				return notFound(10003, "Unknown Channel");
			}
			if (messageId == null) {
				if (!request.method().equals("POST")) {
					return notFound(0, "405: Method Not Allowed");
				}
				Body body = body(request);
				JsonNode json = body.json();
				Long reference = json.path("message_reference").hasNonNull("message_id")
						? json.path("message_reference").path("message_id").asLong() : null;
				if (json.path("content").asText("").length() > 2000) {
					return Reply.json(400, "{\"message\":\"Invalid Form Body\",\"code\":50035,\"errors\":{\"content\":"
							+ "{\"_errors\":[{\"code\":\"BASE_TYPE_MAX_LENGTH\",\"message\":\"Must be 2000 or fewer "
							+ "in length.\"}]}}}");
				}
				// Discord's enforce_nonce: the same nonce again in the channel within a
				// few
				// minutes returns the message it made the first time instead of a second
				// one
				String nonce = json.path("enforce_nonce").asBoolean(false) && json.hasNonNull("nonce")
						? channelId + "/" + json.path("nonce").asText() : null;
				if (nonce != null && nonces.containsKey(nonce)) {
					return ok(messageJson(messages.get(nonces.get(nonce))));
				}
				FakeMessage message = new FakeMessage(nextId(), channelId, inGuild, BOT_ID, json.path("flags").asInt(0),
						null, reference);
				message.record(json.path("content").asText(""), json.path("components"));
				attach(message, body);
				messages.put(message.id, message);
				if (nonce != null) {
					nonces.put(nonce, message.id);
				}
				return ok(messageJson(message));
			}
			FakeMessage message = messages.get(messageId);
			if (message == null || message.deleted || message.channelId != channelId) {
				return notFound(10008, "Unknown Message");
			}
			return switch (request.method()) {
				case "GET" -> ok(messageJson(message));
				case "PATCH" -> {
					if (message.authorId != BOT_ID) {
						yield Reply.json(403,
								"{\"message\":\"Cannot edit a message authored by another user\"," + "\"code\":50005}");
					}
					Body body = body(request);
					if (body.json().path("content").asText("").length() > 2000) {
						yield Reply.json(400, "{\"message\":\"Invalid Form Body\",\"code\":50035}");
					}
					edit(message, body.json(), body);
					yield ok(messageJson(message));
				}
				case "DELETE" -> {
					message.deleted = true;
					yield new Reply.Whole(204, Map.of(), new byte[0], Duration.ZERO);
				}
				default -> notFound(0, "405: Method Not Allowed");
			};
		}

		private void edit(FakeMessage message, JsonNode data, Body body) {
			String content = data.has("content") ? data.path("content").asText("") : message.content();
			message.record(content, data.has("components") ? data.path("components") : null);
			// an edit of a deferred response ends its "thinking…"
			message.flags = message.flags & ~LOADING;
			message.editedAt = Instant.now();
			if (data.has("attachments") || !body.files().isEmpty()) {
				// attachments lists the files to keep; new uploads come as files[n]
				Set<Long> keep = new LinkedHashSet<>();
				for (JsonNode kept : data.path("attachments")) {
					if (kept.path("id").canConvertToLong() || kept.path("id").asText().matches("\\d{10,}")) {
						keep.add(kept.path("id").asLong());
					}
				}
				message.files.removeIf(file -> !keep.contains(file.id()));
				attach(message, body);
			}
		}

		private void attach(FakeMessage message, Body body) {
			for (Map.Entry<String, Body.Part> file : body.files().entrySet()) {
				long attachmentId = nextId();
				String path = "/attachments/" + message.channelId + "/" + attachmentId + "/"
						+ file.getValue().filename();
				files.put(path, file.getValue().bytes());
				message.files.add(new Attachment(attachmentId, file.getValue().filename(),
						file.getValue().contentType(), file.getValue().bytes(), uri() + path));
			}
		}

		private Reply ok(JsonNode json) {
			return Reply.json(200, Json.write(json));
		}

		private Reply notFound(int code, String message) {
			return Reply.json(404, Json.write(Json.object().put("message", message).put("code", code)));
		}

	}

	/**
	 * A request body: JSON, or multipart with {@code payload_json} and {@code files[n]}.
	 */
	private record Body(JsonNode json, Map<String, Part> files) {

		record Part(String name, String filename, String contentType, byte[] bytes) {
		}

	}

	private static Body body(FakeHttpServer.RecordedRequest request) {
		String type = request.header("Content-Type");
		if (type == null || !type.startsWith("multipart/form-data")) {
			return new Body(request.body().length == 0 ? Json.object() : request.json(), Map.of());
		}
		String boundary = type.substring(type.indexOf("boundary=") + "boundary=".length()).replace("\"", "");
		Map<String, Body.Part> files = new LinkedHashMap<>();
		JsonNode json = Json.object();
		for (Body.Part part : multipart(request.body(), boundary)) {
			if ("payload_json".equals(part.name())) {
				json = Json.read(part.bytes());
			}
			else if (part.filename() != null) {
				files.put(part.name(), part);
			}
		}
		return new Body(json, files);
	}

	private static List<Body.Part> multipart(byte[] body, String boundary) {
		byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
		List<Body.Part> parts = new ArrayList<>();
		int position = indexOf(body, delimiter, 0);
		while (position >= 0) {
			int start = position + delimiter.length;
			if (start + 2 <= body.length && body[start] == '-' && body[start + 1] == '-') {
				break;
			}
			start += 2; // CRLF after the delimiter
			int next = indexOf(body, delimiter, start);
			if (next < 0) {
				break;
			}
			int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
			String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
			byte[] content = java.util.Arrays.copyOfRange(body, headersEnd + 4, next - 2);
			String name = headerParameter(headers, "name");
			String filename = headerParameter(headers, "filename");
			String contentType = null;
			for (String line : headers.split("\r\n")) {
				if (line.toLowerCase().startsWith("content-type:")) {
					contentType = line.substring("content-type:".length()).strip();
				}
			}
			parts.add(new Body.Part(name, filename, contentType, content));
			position = next;
		}
		return parts;
	}

	private static String headerParameter(String headers, String name) {
		Matcher matcher = Pattern.compile("[; ]" + name + "=\"([^\"]*)\"").matcher(headers);
		return matcher.find() ? matcher.group(1) : null;
	}

	private static int indexOf(byte[] haystack, byte[] needle, int from) {
		outer: for (int i = from; i <= haystack.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	// ---------------------------------------------------------------- gateway

	private final class Gateway extends WebSocketServer {

		final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);

		private final AtomicInteger sequence = new AtomicInteger();

		private final Map<WebSocket, Connection> connections = new ConcurrentHashMap<>();

		private final String sessionId = "fake-session-" + UUID.randomUUID();

		Gateway() {
			super(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		}

		/** One client's state: whether it is ready, and its compressor. */
		private static final class Connection {

			final Deflater deflater;

			volatile boolean ready;

			Connection(boolean compress) {
				this.deflater = compress ? new Deflater() : null;
			}

		}

		int readyConnections() {
			return (int) connections.values().stream().filter(c -> c.ready).count();
		}

		@Override
		public void onStart() {
			started.countDown();
		}

		@Override
		public void onOpen(WebSocket socket, ClientHandshake handshake) {
			String query = URI.create(handshake.getResourceDescriptor()).getRawQuery();
			boolean compress = query != null && query.contains("compress=zlib-stream");
			connections.put(socket, new Connection(compress));
			ObjectNode hello = Json.object().put("op", 10).putNull("s").putNull("t");
			hello.putObject("d").put("heartbeat_interval", heartbeatInterval);
			send(socket, hello);
		}

		@Override
		public void onClose(WebSocket socket, int code, String reason, boolean remote) {
			Connection connection = connections.remove(socket);
			if (connection != null && connection.deflater != null) {
				synchronized (connection) {
					connection.deflater.end();
				}
			}
		}

		@Override
		public void onMessage(WebSocket socket, String text) {
			JsonNode payload = Json.read(text);
			switch (payload.path("op").asInt()) {
				case 1 -> {
					heartbeats.incrementAndGet();
					send(socket, Json.object().put("op", 11));
				}
				case 2 -> identify(socket, payload.path("d"));
				case 6 -> {
					resumes.incrementAndGet();
					Connection connection = connections.get(socket);
					if (connection != null) {
						connection.ready = true;
					}
					ObjectNode resumed = Json.object().put("op", 0).put("t", "RESUMED").put("s", sequence.get());
					resumed.putObject("d");
					send(socket, resumed);
				}
				default -> {
					// presence updates, member requests: nothing to answer
				}
			}
		}

		@Override
		public void onMessage(WebSocket socket, ByteBuffer bytes) {
			// JDA sends JSON text frames
		}

		@Override
		public void onError(WebSocket socket, Exception failure) {
			if (socket == null) {
				started.countDown();
			}
		}

		private void identify(WebSocket socket, JsonNode data) {
			identifies.add(data);
			if (!TOKEN.equals(data.path("token").asText())) {
				socket.close(4004, "Authentication failed.");
				return;
			}
			ObjectNode ready = Json.object().put("v", 10).put("session_id", sessionId);
			ready.put("resume_gateway_url", gatewayUrl());
			ready.set("user", botJson());
			ready.putArray("guilds").addObject().put("id", Long.toString(GUILD_ID)).put("unavailable", true);
			ready.putArray("private_channels");
			ready.putObject("application").put("id", Long.toString(APPLICATION_ID)).put("flags", 0);
			if (data.has("shard")) {
				ready.set("shard", data.get("shard"));
			}
			dispatchTo(socket, "READY", ready);
			dispatchTo(socket, "GUILD_CREATE", guildJson());
			Connection connection = connections.get(socket);
			if (connection != null) {
				connection.ready = true;
			}
		}

		void dispatch(String type, JsonNode data) {
			boolean sent = false;
			for (Map.Entry<WebSocket, Connection> entry : connections.entrySet()) {
				if (entry.getValue().ready && entry.getKey().isOpen()) {
					dispatchTo(entry.getKey(), type, data);
					sent = true;
				}
			}
			if (!sent) {
				throw new IllegalStateException("no ready client to dispatch " + type + " to");
			}
		}

		private void dispatchTo(WebSocket socket, String type, JsonNode data) {
			ObjectNode event = Json.object().put("op", 0).put("t", type).put("s", sequence.incrementAndGet());
			event.set("d", data);
			send(socket, event);
		}

		private void send(WebSocket socket, JsonNode payload) {
			Connection connection = connections.get(socket);
			byte[] json = Json.write(payload).getBytes(StandardCharsets.UTF_8);
			if (connection == null || connection.deflater == null) {
				socket.send(new String(json, StandardCharsets.UTF_8));
				return;
			}
			// zlib-stream: one deflate stream per connection, each payload ending with a
			// sync flush (00 00 ff ff), which is how clients know a payload is complete
			synchronized (connection) {
				connection.deflater.setInput(json);
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				byte[] buffer = new byte[8192];
				int written;
				do {
					written = connection.deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
					out.write(buffer, 0, written);
				}
				while (written == buffer.length);
				socket.send(out.toByteArray());
			}
		}

	}

	// ---------------------------------------------------------------- waiting

	/** Waits until the condition holds; fails with a message naming what was awaited. */
	public static void waitFor(Duration timeout, java.util.function.BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (condition.getAsBoolean()) {
				return;
			}
			sleep(10);
		}
		if (!condition.getAsBoolean()) {
			throw new AssertionError("timed out after " + timeout + " waiting for " + what);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(interrupted);
		}
	}

}
