package io.switchboard.channel.web;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.UserRole;
import io.switchboard.storage.Images;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.testsupport.WebSession;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web pages over real HTTP: first-run setup, sign-in, accounts and invitations, the
 * rules of who sees what, and chatting with streamed answers. Runs in order because the
 * first test sees the empty server that every new installation starts as.
 */
@IntegrationTest
@TestPropertySource(properties = "spring.servlet.multipart.max-file-size=200KB")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebChannelTest {

	@LocalServerPort
	int port;

	@Autowired
	WebAccounts accounts;

	@Autowired
	Conversations conversations;

	WebSession admin() {
		WebSession session = new WebSession(port);
		assertThat(session.signIn("ada", "correct horse")).endsWith("/");
		session.get("/");
		return session;
	}

	WebSession member(String name) {
		WebPrincipal ada = accounts.loadUserByUsername("ada");
		accounts.createAccount(ada, name, name, "password-" + name, UserRole.MEMBER);
		WebSession session = new WebSession(port);
		assertThat(session.signIn(name, "password-" + name)).endsWith("/");
		session.get("/");
		return session;
	}

	@Test
	@Order(1)
	void aNewServerAsksForTheFirstAccountWhichBecomesTheAdmin() {
		WebSession browser = new WebSession(port);
		assertThat(browser.get("/").headers().firstValue("Location"))
			.hasValueSatisfying(to -> assertThat(to).endsWith("/login"));
		assertThat(browser.get("/login").headers().firstValue("Location"))
			.hasValueSatisfying(to -> assertThat(to).endsWith("/setup"));
		assertThat(browser.get("/setup").body()).contains("Create the first account");

		HttpResponse<String> mismatch = browser.postForm("/setup", Map.of("username", "ada", "displayName", "Ada",
				"password", "correct horse", "passwordAgain", "correct hose"));
		assertThat(mismatch.body()).contains("The two passwords differ.");
		assertThat(accounts.needsSetup()).isTrue();

		HttpResponse<String> created = browser.postForm("/setup", Map.of("username", "Ada", "displayName", "Ada",
				"password", "correct horse", "passwordAgain", "correct horse"));
		assertThat(created.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).endsWith("/"));
		// signed in straight away
		assertThat(browser.get("/").statusCode()).isEqualTo(200);
		assertThat(conversations.findUser(new PlatformUserId("web", "ada")))
			.hasValueSatisfying(user -> assertThat(user.isAdmin()).isTrue());

		// the setup page is closed from now on
		WebSession late = new WebSession(port);
		assertThat(late.get("/setup").headers().firstValue("Location"))
			.hasValueSatisfying(to -> assertThat(to).endsWith("/login"));
	}

	@Test
	@Order(2)
	void aWrongPasswordIsRefused() {
		assertThat(new WebSession(port).signIn("ada", "wrong horse")).endsWith("/login?error");
		assertThat(new WebSession(port).signIn("nobody", "whatever1")).endsWith("/login?error");
	}

	@Test
	@Order(3)
	void theAdminCreatesAccountsAndMembersCannotAdminister() {
		WebSession admin = admin();
		assertThat(admin.get("/admin/users").body()).contains("Create an account");
		admin.get("/admin/users");
		HttpResponse<String> created = admin.postForm("/admin/users",
				Map.of("username", "bob", "displayName", "Bob", "password", "builder-bob", "role", "member"));
		assertThat(created.statusCode()).isEqualTo(302);
		assertThat(admin.get("/admin/users").body()).contains("Created the account bob.");

		WebSession bob = new WebSession(port);
		assertThat(bob.signIn("bob", "builder-bob")).endsWith("/");
		assertThat(bob.get("/admin/users").statusCode()).isEqualTo(403);
	}

	@Test
	@Order(4)
	void anInvitationLinkWorksOnce() {
		WebSession admin = admin();
		admin.get("/admin/users");
		admin.postForm("/admin/invitations", Map.of("role", "member"));
		String page = admin.get("/admin/users").body();
		Matcher link = Pattern.compile("/invite/([A-Za-z0-9_-]+)").matcher(page);
		assertThat(link.find()).isTrue();
		String path = "/invite/" + link.group(1);

		WebSession guest = new WebSession(port);
		assertThat(guest.get(path).body()).contains("Create my account");
		HttpResponse<String> joined = guest.postForm(path, Map.of("username", "carol", "displayName", "Carol",
				"password", "carol-pass", "passwordAgain", "carol-pass"));
		assertThat(joined.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).endsWith("/"));
		assertThat(guest.get("/").statusCode()).isEqualTo(200);

		WebSession second = new WebSession(port);
		assertThat(second.get(path).body()).contains("not valid any more");
		assertThat(second
			.postForm(path, Map.of("username", "mallory", "password", "mallory-pass", "passwordAgain", "mallory-pass"))
			.body()).contains("not valid any more");
		assertThat(accounts.usernameOf(conversations.findUser(new PlatformUserId("web", "carol")).orElseThrow().id()))
			.hasValue("carol");
		assertThat(conversations.findUser(new PlatformUserId("web", "mallory"))).isEmpty();
	}

	@Test
	@Order(5)
	void aMessageIsAnsweredAsAStreamAndShowsInTheSession() {
		WebSession dave = member("dave");
		HttpResponse<String> stream = dave.postMultipart("/chat/messages", Map.of("text", "Tell me about *tea*"), null,
				null, null);
		assertThat(stream.statusCode()).isEqualTo(200);
		assertThat(stream.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
		String events = stream.body();
		assertThat(events).contains("event:started").contains("event:delta").contains("event:done");
		assertThat(events.indexOf("event:started")).isLessThan(events.indexOf("event:delta"));
		Matcher id = Pattern.compile("\"sessionId\":(\\d+)").matcher(events);
		assertThat(id.find()).isTrue();

		String page = dave.get("/sessions/" + id.group(1)).body();
		assertThat(page).contains("Tell me about *tea*").contains("<em>tea</em>").contains("demo model");
	}

	@Test
	@Order(6)
	void markupInMessagesNeverRunsInThePage() {
		WebSession eve = member("eve");
		String attack = "<script>alert('x')</script> <img src=x onerror=alert(1)> [link](javascript:alert(2))";
		String events = eve.postMultipart("/chat/messages", Map.of("text", attack), null, null, null).body();
		Matcher id = Pattern.compile("\"sessionId\":(\\d+)").matcher(events);
		assertThat(id.find()).isTrue();
		HttpResponse<String> page = eve.get("/sessions/" + id.group(1));
		// the text shows, escaped; no element of it reaches the page
		assertThat(page.body()).contains("&lt;script&gt;alert(")
			.doesNotContain("<script>alert")
			.doesNotContain("<img src=x")
			.doesNotContain("href=\"javascript:");
		assertThat(page.headers().firstValue("Content-Security-Policy"))
			.hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'"));
	}

	@Test
	@Order(7)
	void someoneElsesPrivateSessionIsNotFound() {
		WebSession frank = member("frank");
		String events = frank.postMultipart("/chat/messages", Map.of("text", "my secret"), null, null, null).body();
		Matcher id = Pattern.compile("\"sessionId\":(\\d+)").matcher(events);
		assertThat(id.find()).isTrue();

		WebSession grace = member("grace");
		HttpResponse<String> page = grace.get("/sessions/" + id.group(1));
		assertThat(page.statusCode()).isEqualTo(404);
		assertThat(page.body()).doesNotContain("my secret");
		HttpResponse<String> post = grace.postMultipart("/chat/messages",
				Map.of("text", "let me in", "sessionId", id.group(1)), null, null, null);
		assertThat(post.statusCode()).isEqualTo(404);
		assertThat(post.body()).contains("does not exist or is private");
		assertThat(grace.postForm("/sessions/" + id.group(1) + "/delete", Map.of()).statusCode()).isEqualTo(404);
		assertThat(conversations.messageCount(new io.switchboard.conversation.SessionId(Long.parseLong(id.group(1)))))
			.isEqualTo(2);
	}

	@Test
	@Order(8)
	void badUploadsAreRefusedAndNothingIsStored() throws Exception {
		WebSession heidi = member("heidi");
		long before = conversations
			.countSessionsFor(conversations.findUser(new PlatformUserId("web", "heidi")).orElseThrow());

		HttpResponse<String> notAnImage = heidi.postMultipart("/chat/messages", Map.of("text", "what is this?"),
				"image", "notes.png", "just text pretending".getBytes());
		assertThat(notAnImage.statusCode()).isEqualTo(400);
		assertThat(notAnImage.body()).contains("not an image");

		HttpResponse<String> tooLarge = heidi.postMultipart("/chat/messages", Map.of("text", "big"), "image", "big.png",
				new byte[300 * 1024]);
		assertThat(tooLarge.statusCode()).isEqualTo(413);
		assertThat(tooLarge.body()).contains("too large");

		HttpResponse<String> empty = heidi.postMultipart("/chat/messages", Map.of("text", "  "), null, null, null);
		assertThat(empty.statusCode()).isEqualTo(400);

		assertThat(conversations
			.countSessionsFor(conversations.findUser(new PlatformUserId("web", "heidi")).orElseThrow()))
			.isEqualTo(before);

		HttpResponse<String> image = heidi.postMultipart("/chat/messages", Map.of("text", "and this?"), "image",
				"dot.png", Images.png(8, 8));
		assertThat(image.statusCode()).isEqualTo(200);
		assertThat(image.body()).contains("I received an image (image/png").contains("/media/");
	}

	@Test
	@Order(9)
	void postingWithoutTheCsrfTokenIsRefused() {
		WebSession ivan = member("ivan");
		HttpResponse<String> forged = new WebSession(port).postForm("/sessions", Map.of());
		assertThat(forged.statusCode()).isIn(302, 403);
		assertThat(ivan.get("/").statusCode()).isIn(200, 302);
	}

	@Test
	@Order(10)
	void sessionSettingsAreChangedByTheOwnerOnly() {
		WebSession judy = member("judy");
		HttpResponse<String> created = judy.postForm("/sessions", Map.of("title", "Recipes"));
		String location = created.headers().firstValue("Location").orElseThrow();
		String path = location.substring(location.indexOf("/sessions/"));
		judy.get(path);
		judy.postForm(path + "/settings",
				Map.of("title", "Family recipes", "model", "demo", "systemPrompt", "Be concise.", "isPublic", "true"));
		String page = judy.get(path).body();
		assertThat(page).contains("Family recipes").contains("Be concise.").contains("Settings saved.");

		WebSession mallory = member("mallory2");
		assertThat(mallory.get(path).body()).contains("Family recipes");
		mallory.postForm(path + "/settings", Map.of("title", "Hijacked", "model", "demo"));
		assertThat(judy.get(path).body()).contains("Family recipes").doesNotContain("Hijacked");
	}

}
