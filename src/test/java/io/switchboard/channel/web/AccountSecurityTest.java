package io.switchboard.channel.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserState;
import io.switchboard.fakes.FakePictures;
import io.switchboard.media.MediaLinks;
import io.switchboard.media.MediaStore;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.testsupport.RecordingSink;
import io.switchboard.testsupport.WebSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounts stay locked: sign-in is throttled and logged, the session cookie is
 * {@code SameSite}, metrics are for admins, an admin's suspension cannot be undone by the
 * user and stops chat, API keys and sign-in, a refused revoke says so, and a signed media
 * link is taken only as it was signed.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class AccountSecurityTest {

	static final Pattern SECRET = Pattern.compile("sk-sb-[A-Za-z0-9_-]{43}");

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("switchboard.web.sign-in.failures-per-account", () -> "3");
	}

	@LocalServerPort
	int port;

	@Autowired
	Conversations conversations;

	@Autowired
	Assistant assistant;

	@Autowired
	MediaStore media;

	@Autowired
	MediaLinks links;

	final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	WebSession admin() {
		WebSession session = new WebSession(port);
		if (session.get("/login").headers().firstValue("Location").orElse("").endsWith("/setup")) {
			session.get("/setup");
			session.postForm("/setup", Map.of("username", "root", "displayName", "Root", "password", "root-password",
					"passwordAgain", "root-password"));
		}
		else {
			session.signIn("root", "root-password");
		}
		return session;
	}

	/** A member account made by the admin; returns its username. */
	String member(WebSession admin) {
		String username = "m" + UUID.randomUUID().toString().substring(0, 8);
		admin.get("/admin/users");
		admin.postForm("/admin/users", Map.of("username", username, "password", "member-password"));
		return username;
	}

	HttpResponse<String> chat(String key) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
			.header("Authorization", "Bearer " + key)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void failedSignInsAreLoggedWithoutPasswordsAndThrottledWithTheWait(CapturedOutput output) {
		String username = member(admin());
		WebSession web = new WebSession(port);
		for (int i = 0; i < 3; i++) {
			assertThat(web.signIn(username, "wrong-guess-" + i)).endsWith("/login?error");
		}
		// the right password too is refused now, without being checked
		String refused = web.signIn(username, "member-password");
		assertThat(refused).contains("/login?throttled=");
		long wait = Long.parseLong(refused.substring(refused.indexOf('=') + 1));
		assertThat(wait).isBetween(1L, 15L * 60);
		assertThat(web.get("/login?throttled=" + wait).body()).contains("Too many failed sign-ins")
			.contains("wait " + wait + " s");
		assertThat(output.getOut()).contains("sign-in failed for '" + username + "'")
			.contains("sign-in refused for '" + username + "'")
			.doesNotContain("wrong-guess-0");
		// another account from the same address is not locked by these
		assertThat(admin().get("/").statusCode()).isEqualTo(200);
	}

	@Test
	void theSessionCookieIsSameSiteLax() {
		WebSession web = new WebSession(port);
		web.get("/login");
		HttpResponse<String> signedIn = web.postForm("/login", Map.of("username", "root", "password", "root-password"));
		admin();
		HttpResponse<String> again = new WebSession(port).postForm("/login", Map.of());
		String cookies = String.join("; ", signedIn.headers().allValues("Set-Cookie"))
				+ String.join("; ", again.headers().allValues("Set-Cookie"));
		assertThat(cookies).contains("SESSION").containsIgnoringCase("SameSite=Lax").contains("HttpOnly");
	}

	@Test
	void metricsAreForAdminsOnly() throws Exception {
		HttpResponse<String> anonymous = http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(anonymous.statusCode()).isIn(302, 401);
		assertThat(anonymous.body()).doesNotContain("jvm_");
		WebSession admin = admin();
		WebSession member = new WebSession(port);
		member.signIn(member(admin), "member-password");
		assertThat(member.get("/actuator/prometheus").statusCode()).isEqualTo(403);
		assertThat(member.get("/actuator/info").statusCode()).isEqualTo(403);
		// (tests run without a metrics export, so the admin's check is on info)
		assertThat(admin.get("/actuator/info").statusCode()).isEqualTo(200);
		assertThat(http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(200);
	}

	@Test
	void aSuspendedUserCanNeitherChatNorUseKeysNorSignInNorUndoIt() throws Exception {
		WebSession admin = admin();
		String username = member(admin);
		WebSession member = new WebSession(port);
		member.signIn(username, "member-password");
		member.get("/api-keys");
		Matcher secret = SECRET.matcher(member.postForm("/api-keys", Map.of("name", "mine")).body());
		assertThat(secret.find()).isTrue();
		String key = secret.group();
		assertThat(chat(key).statusCode()).isEqualTo(200);
		User user = conversations.findUser(new PlatformUserId("web", username)).orElseThrow();

		admin.get("/admin/users");
		admin.postForm("/admin/users/" + user.id().value() + "/suspend", Map.of());
		assertThat(admin.get("/admin/users").body()).contains("suspended").contains("Lift suspension");

		HttpResponse<String> refused = chat(key);
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("account_suspended");
		// the user's own state command does not undo it, nor does chatting
		RecordingSink sink = new RecordingSink();
		sink.receive(assistant, InboundMessage.text(new PlatformUserId("web", username), username, Place.direct("web"),
				"/user state active"));
		assertThat(sink.notice().text()).contains("suspended");
		sink.clear();
		sink.receive(assistant,
				InboundMessage.text(new PlatformUserId("web", username), username, Place.direct("web"), "Hello?"));
		assertThat(sink.notice().text()).contains("suspended");
		assertThat(chat(key).statusCode()).isEqualTo(403);
		assertThat(new WebSession(port).signIn(username, "member-password")).endsWith("/login?suspended");
		assertThat(conversations.user(user.id()).state()).isNotEqualTo(UserState.DISABLED);

		admin.postForm("/admin/users/" + user.id().value() + "/reinstate", Map.of());
		assertThat(chat(key).statusCode()).isEqualTo(200);
		assertThat(new WebSession(port).signIn(username, "member-password")).doesNotContain("suspended")
			.doesNotContain("error");
	}

	@Test
	void revokingSomeoneElsesKeySaysItWasNotDone() {
		WebSession admin = admin();
		admin.get("/api-keys");
		Matcher secret = SECRET.matcher(admin.postForm("/api-keys", Map.of("name", "admins")).body());
		assertThat(secret.find()).isTrue();
		Matcher id = Pattern.compile("/api-keys/(\\d+)/revoke").matcher(admin.get("/api-keys").body());
		assertThat(id.find()).isTrue();
		WebSession member = new WebSession(port);
		member.signIn(member(admin), "member-password");
		member.get("/api-keys");
		HttpResponse<String> refused = member.postForm("/api-keys/" + id.group(1) + "/revoke", Map.of());
		assertThat(refused.statusCode()).isEqualTo(404);
		assertThat(refused.body()).contains("Nothing was revoked");
		assertThat(admin.get("/api-keys").body()).contains("/api-keys/" + id.group(1) + "/revoke");
	}

	@Test
	void aMediaLinkIsTakenOnlyAsItWasSigned() throws Exception {
		String sha = media.store(FakePictures.png(8, 8, 3)).sha256();
		String path = links.path(sha);
		assertThat(get(path).statusCode()).isEqualTo(200);
		assertThat(get(path.replace("?exp=", "?exp=0")).statusCode()).isEqualTo(403);
		assertThat(get(path.replace("?exp=", "?exp=%2B")).statusCode()).isEqualTo(403);
	}

	HttpResponse<byte[]> get(String path) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofByteArray());
	}

}
