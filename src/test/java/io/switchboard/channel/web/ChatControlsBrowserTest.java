package io.switchboard.channel.web;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.switchboard.conversation.AnswerRecord;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Exchange;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.SessionChoice;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.conversation.User;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.testsupport.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.switchboard.channel.web.BrowserRig.ready;
import static io.switchboard.channel.web.BrowserRig.screenshot;
import static io.switchboard.channel.web.BrowserRig.send;
import static io.switchboard.channel.web.BrowserRig.signIn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat page's controls in real Chromium against a fake OpenAI server: Stop cancels
 * the model's stream upstream and keeps what was shown as the answer; a search hit deep
 * in a long session opens the session at the hit, with paging either way; the message box
 * offers the commands as you type.
 */
@IntegrationTest
class ChatControlsBrowserTest {

	static final FakeOpenAi openai = FakeOpenAi.start("sk-test-key");

	static final String PASSWORD = "stop-and-find";

	@RegisterExtension
	static final BrowserRig rig = new BrowserRig(openai);

	@LocalServerPort
	int port;

	@Autowired
	WebAccounts accounts;

	@Autowired
	Conversations conversations;

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		BrowserRig.fakeModel(registry, openai);
		registry.add("switchboard.llm.models.gpt-test.context-window", () -> "32000");
		registry.add("switchboard.llm.models.gpt-test.input-price", () -> "3");
		registry.add("switchboard.llm.models.gpt-test.output-price", () -> "15");
	}

	@BeforeEach
	void account() {
		if (accounts.needsSetup()) {
			accounts.createFirstAdmin("ada", "Ada Lovelace", PASSWORD);
		}
		openai.reset();
	}

	@Test
	void stopCancelsTheModelsStreamAndKeepsWhatWasShown() {
		try (BrowserContext context = rig.desktop(port)) {
			Page page = signIn(context, "ada", PASSWORD);
			page.navigate("/");
			ready(page);
			// a slow model: forty words, a quarter of a second apart
			String[] pieces = new String[40];
			for (int i = 0; i < pieces.length; i++) {
				pieces[i] = "word" + i + " ";
			}
			openai.replyInPieces(pieces);
			openai.pieceDelay(Duration.ofMillis(250));
			send(page, "Tell me a long story");
			Locator answer = page.locator(".message.assistant").last();
			PlaywrightAssertions.assertThat(answer.locator(".body")).containsText("word2");
			page.click("#stop");

			// the stream ends with the answer as shown, marked stopped, and the model's
			// connection is closed long before its forty words are written
			PlaywrightAssertions.assertThat(page.locator(".message.assistant.stopped"))
				.hasCount(1, new LocatorAssertions.HasCountOptions().setTimeout(10_000));
			PlaywrightAssertions.assertThat(answer.locator(".meta")).containsText("stopped by you");
			PlaywrightAssertions.assertThat(page.locator("#stop")).isHidden();
			long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (openai.abandonedStreams() == 0 && System.nanoTime() < deadline) {
				page.waitForTimeout(50);
			}
			assertThat(openai.abandonedStreams()).as("streams the server closed early").isEqualTo(1);
			assertThat(openai.finishedReplies()).isZero();
			String shown = answer.locator(".body").innerText().strip();
			assertThat(shown).startsWith("word0 word1 word2").doesNotContain("word39");

			// kept in the session as the answer, with its (estimated) usage
			User ada = conversations.findUser(new PlatformUserId(WebAccounts.PLATFORM, "ada")).orElseThrow();
			long sessionId = Long.parseLong(page.url().replaceAll(".*/sessions/(\\d+).*", "$1"));
			Session session = conversations.session(ada.id(), new io.switchboard.conversation.SessionId(sessionId));
			StoredMessage stored = conversations.recentMessages(ada.id(), session.id(), 2).getLast();
			assertThat(stored.answered()).isTrue();
			assertThat(stored.text().strip()).isEqualTo(shown);
			assertThat(stored.answer().finishReason()).isEqualTo("stopped");
			assertThat(stored.answer().tokensOut()).isPositive();
			assertThat(stored.answer().tokensIn()).isPositive();
			screenshot(page, "chat-stopped.png");

			// the session goes on: the next question is answered whole, with the stopped
			// answer in its context
			openai.reset();
			openai.replyInPieces("The ", "end.");
			send(page, "Finish it");
			PlaywrightAssertions.assertThat(page.locator(".message.assistant").last().locator(".body"))
				.hasText("The end.");
			assertThat(openai.lastRequestJson().toString()).contains("word0 word1");
			page.reload();
			ready(page);
			PlaywrightAssertions.assertThat(page.locator(".message.assistant").first().locator(".meta"))
				.containsText("stopped by you");
		}
	}

	@Test
	void aSearchHitDeepInALongSessionOpensTheSessionAtTheHit() {
		User ada = conversations.findUser(new PlatformUserId(WebAccounts.PLATFORM, "ada")).orElseThrow();
		Session session = conversations.createSession(ada.id(), Place.web(), "A very long chat", false);
		// 260 exchanges: 520 messages, the hit near the start
		for (int i = 0; i < 260; i++) {
			String question = i == 10 ? "Where did the zeppelin land?" : "Question number " + i;
			Exchange asked = conversations.ask(ada, new SessionChoice.Existing(session),
					List.of(new MessagePart.Text(question)), 5, null);
			conversations.answer(asked.answer().id(), "Answer number " + i, 5,
					new AnswerRecord("gpt-test", "fake-openai", 5, 3, 0, 1, 0, "stop"));
		}
		try (BrowserContext context = rig.desktop(port)) {
			Page page = signIn(context, "ada", PASSWORD);
			page.navigate("/search?q=zeppelin");
			Locator hit = page.locator("#hits li .hit-link").first();
			PlaywrightAssertions.assertThat(hit).isVisible();
			hit.click();
			PlaywrightAssertions.assertThat(page)
				.hasURL(Pattern.compile(".*/sessions/" + session.id().value() + "\\?at=\\d+#m\\d+"));
			ready(page);
			Locator found = page.locator(".message.found");
			PlaywrightAssertions.assertThat(found).hasCount(1);
			PlaywrightAssertions.assertThat(found).containsText("Where did the zeppelin land?");
			PlaywrightAssertions.assertThat(found).isInViewport();
			// the messages around it, not the session's end
			PlaywrightAssertions
				.assertThat(
						page.locator(".message.assistant", new Page.LocatorOptions().setHasText("Answer number 259")))
				.hasCount(0);
			PlaywrightAssertions.assertThat(page.locator(".message.user").first()).hasText("Question number 0");
			PlaywrightAssertions.assertThat(page.locator("#earlier-messages")).hasCount(0);
			screenshot(page, "chat-search-hit.png");

			// later pages lead to the end, earlier ones back
			page.click("#later-messages");
			ready(page);
			PlaywrightAssertions.assertThat(page.locator(".message.user").first()).not().hasText("Question number 0");
			PlaywrightAssertions.assertThat(page.locator("#earlier-messages")).isVisible();
			page.click("#later-messages");
			ready(page);
			PlaywrightAssertions.assertThat(page.locator(".message.assistant").last())
				.containsText("Answer number 259");
			PlaywrightAssertions.assertThat(page.locator("#later-messages")).hasCount(0);

			// the newest page of the session leads to the earlier ones too
			page.navigate("/sessions/" + session.id().value());
			ready(page);
			PlaywrightAssertions.assertThat(page.locator(".message.user")).hasCount(100);
			page.click("#earlier-messages");
			ready(page);
			PlaywrightAssertions.assertThat(page.locator(".message.assistant").last())
				.containsText("Answer number 159");

			// a message of another session is not found through this one
			long elsewhere = conversations.recentMessages(ada.id(), session.id(), 1).getFirst().id();
			Session other = conversations.createSession(ada.id(), Place.web(), "Another", false);
			assertThat(page.request().get("/sessions/" + other.id().value() + "?at=" + elsewhere).status())
				.isEqualTo(404);
		}
	}

	@Test
	void theMessageBoxOffersTheCommandsAsYouType() {
		try (BrowserContext context = rig.desktop(port)) {
			Page page = signIn(context, "ada", PASSWORD);
			page.navigate("/");
			ready(page);
			Locator list = page.locator("#command-list");
			PlaywrightAssertions.assertThat(list).isHidden();
			page.locator("#message-input").pressSequentially("/");
			PlaywrightAssertions.assertThat(list).isVisible();
			assertThat(list.locator("li[role=option]:visible").count()).isGreaterThan(20);
			// words find a command by what it does, too
			page.locator("#message-input").pressSequentially("download");
			PlaywrightAssertions.assertThat(list.locator("li[role=option]:visible")).hasCount(1);
			PlaywrightAssertions.assertThat(list.locator("li[role=option]:visible")).containsText("/export");
			page.fill("#message-input", "");
			page.locator("#message-input").pressSequentially("/remember");
			PlaywrightAssertions.assertThat(list.locator("li[role=option]:visible").first()).containsText("/remember");
			page.keyboard().press("ArrowDown");
			PlaywrightAssertions.assertThat(list.locator("li[aria-selected=true]")).containsText("/remember");
			screenshot(page, "chat-commands.png");
			page.keyboard().press("Enter");
			PlaywrightAssertions.assertThat(page.locator("#message-input")).hasValue("/remember ");
			PlaywrightAssertions.assertThat(list).isHidden();
			page.locator("#message-input").pressSequentially("I like green tea");
			page.keyboard().press("Enter");
			PlaywrightAssertions.assertThat(page.locator(".message.notice").last()).containsText("green tea");

			// a command typed out in full is sent by Enter as before
			page.locator("#message-input").pressSequentially("/memory");
			page.keyboard().press("Enter");
			PlaywrightAssertions.assertThat(page.locator(".message.notice").last()).containsText("Your memory");
			page.locator("#message-input").pressSequentially("/zzzz");
			PlaywrightAssertions.assertThat(list).isHidden();
		}
	}

}
