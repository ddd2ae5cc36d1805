package io.switchboard.channel.web;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.switchboard.channel.ChannelContract;
import io.switchboard.conversation.AnswerState;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.MessageRole;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserRole;
import io.switchboard.testsupport.StandaloneApplication;
import io.switchboard.testsupport.WebSession;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat page for the channel contract: signed-in people post messages as the page's
 * script does (each with its own id, which a retry repeats); what they are shown in
 * answer is their conversations' history, where every answer lands whether or not the
 * page still listens. A post without a signed-in session is the forged event.
 */
final class WebRig implements ChannelContract.Rig {

	/** One page per person and server, signed in; and the session a person writes in. */
	private final Map<String, WebSession> pages = new ConcurrentHashMap<>();

	private final Map<String, Long> sessions = new ConcurrentHashMap<>();

	/** The lines of every event stream a person's page read, in order. */
	private final Map<String, List<String>> streamed = new ConcurrentHashMap<>();

	private record Event(String user, String text, String clientId) implements ChannelContract.PlatformEvent {
	}

	@Override
	public List<String> settings() {
		return List.of();
	}

	@Override
	public String newUser() {
		return "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

	@Override
	public ChannelContract.PlatformEvent message(String user, String text) {
		return new Event(user, text, UUID.randomUUID().toString());
	}

	@Override
	public void deliver(ConfigurableApplicationContext server, ChannelContract.PlatformEvent event) {
		Event message = (Event) event;
		WebSession page = page(server, message.user());
		Map<String, String> fields = new java.util.HashMap<>(
				Map.of("text", message.text(), "clientId", message.clientId()));
		Long session = sessions.get(message.user());
		if (session != null) {
			fields.put("sessionId", session.toString());
		}
		HttpResponse<Stream<String>> response = page.postMultipartStreaming("/chat/messages", fields);
		assertThat(response.statusCode()).isEqualTo(200);
		// the page reads its stream to the end; the test goes on meanwhile
		List<String> lines = streamed.computeIfAbsent(message.user(),
				key -> new java.util.concurrent.CopyOnWriteArrayList<>());
		Thread.ofVirtual().start(() -> response.body().forEach(lines::add));
		if (session == null) {
			// the first message started a chat: the rest of the person's go to it
			User user = user(server, message.user());
			server.getBean(Conversations.class)
				.sessionsFor(user, 1, 0)
				.stream()
				.findFirst()
				.ifPresent(started -> sessions.putIfAbsent(message.user(), started.id().value()));
		}
	}

	@Override
	public void prepare(ConfigurableApplicationContext server, String user) {
		page(server, user);
	}

	@Override
	public void deliverForged(ConfigurableApplicationContext server, ChannelContract.PlatformEvent event) {
		Event message = (Event) event;
		WebSession stranger = new WebSession(StandaloneApplication.port(server));
		HttpResponse<String> refused = stranger.postMultipart("/chat/messages",
				Map.of("text", message.text(), "clientId", message.clientId()), null, null, null);
		assertThat(refused.statusCode()).isIn(302, 401, 403);
	}

	/** A notice's button, as the page's script sends it: its command, as a message. */
	@Override
	public boolean press(ConfigurableApplicationContext server, String user, String label) {
		List<String> lines = streamed.getOrDefault(user, List.of());
		for (String line : lines.reversed()) {
			if (!line.startsWith("data:") || !line.contains("\"actions\"")) {
				continue;
			}
			for (com.fasterxml.jackson.databind.JsonNode action : io.switchboard.fakes.Json.read(line.substring(5))
				.path("actions")) {
				if (label.equals(action.path("label").asText())) {
					deliver(server, message(user, action.path("command").asText()));
					return true;
				}
			}
		}
		return false;
	}

	@Override
	public List<String> answersTo(ConfigurableApplicationContext server, String username) {
		Conversations conversations = server.getBean(Conversations.class);
		java.util.Optional<User> user = conversations.findUser(new PlatformUserId(WebAccounts.PLATFORM, username));
		if (user.isEmpty()) {
			return List.of();
		}
		List<String> answers = new ArrayList<>();
		for (Session session : conversations.ownAndPublicSessions(user.get().id(), 100, 0).reversed()) {
			for (StoredMessage message : conversations.recentMessages(user.get().id(), session.id(), 1000)) {
				if (message.role() == MessageRole.ASSISTANT && message.state() != AnswerState.PENDING) {
					answers.add(message.answered() ? message.text() : "⚠️ " + message.note());
				}
			}
		}
		return answers;
	}

	/** The answers, and the notices the person's page was streamed (their HTML). */
	@Override
	public List<String> shownTo(ConfigurableApplicationContext server, String username) {
		List<String> shown = new ArrayList<>(answersTo(server, username));
		for (String line : streamed.getOrDefault(username, List.of())) {
			if (line.startsWith("data:") && line.contains("\"html\"")) {
				shown.add(io.switchboard.fakes.Json.read(line.substring(5)).path("html").asText());
			}
		}
		return shown;
	}

	private WebSession page(ConfigurableApplicationContext server, String username) {
		return pages.computeIfAbsent(System.identityHashCode(server) + "/" + username, key -> {
			WebAccounts accounts = server.getBean(WebAccounts.class);
			synchronized (WebRig.class) {
				if (accounts.needsSetup()) {
					accounts.createFirstAdmin("admin", "Admin", "admin-password");
				}
				if (server.getBean(Conversations.class)
					.findUser(new PlatformUserId(WebAccounts.PLATFORM, username))
					.isEmpty()) {
					accounts.createAccount(accounts.loadUserByUsername("admin"), username, username,
							"password-" + username, UserRole.MEMBER);
				}
			}
			WebSession page = new WebSession(StandaloneApplication.port(server));
			assertThat(page.signIn(username, "password-" + username)).endsWith("/");
			page.get("/");
			return page;
		});
	}

	private static User user(ConfigurableApplicationContext server, String username) {
		return server.getBean(Conversations.class)
			.findUser(new PlatformUserId(WebAccounts.PLATFORM, username))
			.orElseThrow();
	}

	@Override
	public void close() {
	}

}
