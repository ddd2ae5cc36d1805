package io.switchboard.channel.web;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.FactSuggestion;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.UserId;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.testsupport.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.switchboard.channel.web.BrowserRig.ready;
import static io.switchboard.channel.web.BrowserRig.screenshot;
import static io.switchboard.channel.web.BrowserRig.send;
import static io.switchboard.channel.web.BrowserRig.signInAsAda;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Facts proposed to remember on the chat page, in real Chromium: shown with their buttons
 * as the turn that compacted is answered, still there after a reload until answered, and
 * gone once answered, on the page or anywhere else. Screenshots go to
 * {@code target/screenshots}.
 */
@IntegrationTest
class FactProposalsBrowserTest {

	static final FakeOpenAi openai = FakeOpenAi.start("sk-test-key");

	@RegisterExtension
	static final BrowserRig rig = new BrowserRig(openai);

	@LocalServerPort
	int port;

	@Autowired
	Conversations conversations;

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		BrowserRig.fakeModel(registry, openai);
		registry.add("switchboard.llm.models.gpt-test.context-budget", () -> "1500");
		registry.add("switchboard.llm.default-model", () -> "gpt-test");
		registry.add("switchboard.memory.suggest", () -> "true");
		registry.add("switchboard.assistant.compaction.summary-max-tokens", () -> "100");
	}

	static final LocatorAssertions.ContainsTextOptions SLOW = new LocatorAssertions.ContainsTextOptions()
		.setTimeout(20_000);

	@Test
	void proposalsStayOnThePageUntilAnsweredHereOrElsewhere() {
		// the summary model proposes two facts; questions are echoed
		openai.answerWith(question -> question.startsWith("Summary so far:")
				? "The user explained a long migration plan.\nFACTS:\n- I am vegetarian\n- I live in Lyon"
				: "Echo: " + question);
		String filler = " The migration plan covers the rollout, the risks we listed and the review next Monday."
			.repeat(18);
		try (BrowserContext context = rig.desktop(port)) {
			Page page = signInAsAda(context);
			Locator proposals = page.locator(".message.notice", new Page.LocatorOptions().setHasText("Remember this"));
			for (int n = 1; n <= 10 && openai.requests()
				.stream()
				.noneMatch(request -> request.bodyText().contains("Summary so far:")); n++) {
				ready(page);
				send(page, "Turn " + n + filler);
				PlaywrightAssertions.assertThat(page.locator(".message.assistant").last())
					.containsText("Echo: Turn " + n + " ", SLOW);
			}
			// shown as the answer is written
			PlaywrightAssertions.assertThat(proposals).hasCount(2);

			page.reload();
			// after a reload: both still there, at the end, with their buttons
			PlaywrightAssertions.assertThat(proposals).hasCount(2);
			PlaywrightAssertions.assertThat(proposals.first()).containsText("I am vegetarian");
			PlaywrightAssertions.assertThat(proposals.last()).containsText("I live in Lyon");
			PlaywrightAssertions.assertThat(proposals.last().getByRole(AriaRole.BUTTON)).hasCount(2);
			page.locator("#messages").evaluate("box => box.scrollTop = box.scrollHeight");
			screenshot(page, "webapp-fact-proposals-after-reload.png");

			// confirmed on the page: remembered, and gone after the next reload
			ready(page);
			proposals.first()
				.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remember").setExact(true))
				.click();
			PlaywrightAssertions.assertThat(page.locator(".message.notice").last())
				.containsText("Remembered (1): I am vegetarian", SLOW);
			UserId me = conversations.findUser(new PlatformUserId(WebAccounts.PLATFORM, "ada")).orElseThrow().id();
			assertThat(conversations.facts(me)).extracting(io.switchboard.conversation.Fact::text)
				.containsExactly("I am vegetarian");
			page.reload();
			PlaywrightAssertions.assertThat(proposals).hasCount(1);
			PlaywrightAssertions.assertThat(proposals).containsText("I live in Lyon");

			// declined elsewhere (another platform's button ends here too):
			// gone from the page
			FactSuggestion lyon = conversations.factSuggestions(me).getFirst();
			assertThat(conversations.declineSuggestion(me, lyon.code())).isTrue();
			page.reload();
			ready(page);
			PlaywrightAssertions.assertThat(proposals).hasCount(0);
			assertThat(conversations.facts(me)).hasSize(1);
			screenshot(page, "webapp-fact-proposals-answered.png");
		}
	}

}
