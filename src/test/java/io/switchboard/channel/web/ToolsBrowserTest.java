package io.switchboard.channel.web;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.testsupport.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.switchboard.channel.web.BrowserRig.ready;
import static io.switchboard.channel.web.BrowserRig.screenshot;
import static io.switchboard.channel.web.BrowserRig.send;
import static io.switchboard.channel.web.BrowserRig.seriousAccessibilityViolations;
import static io.switchboard.channel.web.BrowserRig.signInAsAda;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tools on the web page, in real Chromium: the settings panel's switch for a session's
 * tool servers (an admin's server shown as fixed, a bad choice refused with nothing
 * changed, no serious accessibility violation), and a tool that asks first, answered with
 * the notice's buttons. Screenshots go to {@code target/screenshots}.
 */
@IntegrationTest
class ToolsBrowserTest {

	static final FakeOpenAi openai = FakeOpenAi.start("sk-test-key");

	@RegisterExtension
	static final BrowserRig rig = new BrowserRig(openai);

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		BrowserRig.fakeModel(registry, openai);
		registry.add("switchboard.llm.default-model", () -> "gpt-test");
		// never connected here: listing and choosing servers needs no connection
		registry.add("switchboard.tools.mcp.notes.url", () -> "http://127.0.0.1:9/mcp");
		registry.add("switchboard.tools.mcp.notes.description", () -> "the team's notes");
		registry.add("switchboard.tools.mcp.payroll.url", () -> "http://127.0.0.1:9/payroll");
		registry.add("switchboard.tools.mcp.payroll.users", () -> "false");
		registry.add("switchboard.tools.confirm", () -> "current_time");
	}

	@Test
	void theSettingsPanelTurnsASessionsToolServersOnAndOff() {
		try (BrowserContext context = rig.desktop(port)) {
			Page page = signInAsAda(context);
			ready(page);
			send(page, "hello");
			PlaywrightAssertions.assertThat(page.locator(".message.assistant").last())
				.containsText("Echo", new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions()
					.setTimeout(20_000));
			page.reload();

			page.click("#settings summary");
			Locator notes = page.locator(".tool-server[data-server=notes]");
			Locator payroll = page.locator(".tool-server[data-server=payroll]");
			PlaywrightAssertions.assertThat(notes.locator(".state")).hasText("off");
			PlaywrightAssertions.assertThat(notes).containsText("the team's notes");
			PlaywrightAssertions.assertThat(payroll).containsText("set by the admin");
			PlaywrightAssertions.assertThat(payroll.locator("button")).hasCount(0);

			notes.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON).click();
			PlaywrightAssertions.assertThat(page.locator(".flash")).containsText("now uses the tool server notes");
			// the panel stays open after the choice, showing it
			PlaywrightAssertions.assertThat(notes.locator(".state")).hasText("on");
			PlaywrightAssertions.assertThat(notes.locator("button")).hasText("Turn off");
			screenshot(page, "webapp-tools.png");
			assertThat(seriousAccessibilityViolations(page)).as("serious or critical accessibility violations")
				.isEmpty();

			// a forged choice (a server that does not exist) is refused and changes
			// nothing
			notes.locator("input[name=server]").evaluate("input => input.value = 'nosuch'");
			notes.locator("button").click();
			PlaywrightAssertions.assertThat(page.locator(".error")).containsText("There is no tool server `nosuch`");
			PlaywrightAssertions.assertThat(notes.locator(".state")).hasText("on");

			notes.locator("button").click();
			PlaywrightAssertions.assertThat(page.locator(".flash"))
				.containsText("no longer uses the tool server notes");
			PlaywrightAssertions.assertThat(notes.locator(".state")).hasText("off");

			// the same choice as the command sees it
			ready(page);
			send(page, "/session tools");
			PlaywrightAssertions.assertThat(page.locator(".message.notice").last()).containsText("notes off");
		}
	}

	@Test
	void aToolThatAsksFirstIsAnsweredWithTheNoticesButtons() {
		try (BrowserContext context = rig.desktop(port)) {
			Page page = signInAsAda(context);
			ready(page);
			openai.callToolNext("current_time", "{\"time_zone\":\"Europe/Berlin\"}").reply("It is teatime in Berlin.");

			send(page, "What time is it in Berlin?");

			Locator question = page.locator(".message.notice").last();
			PlaywrightAssertions.assertThat(question)
				.containsText("current_time",
						new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions()
							.setTimeout(20_000));
			PlaywrightAssertions.assertThat(page.locator(".message.assistant").last())
				.containsText("Waiting for your yes");
			screenshot(page, "webapp-tool-question.png");
			question
				.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
						new Locator.GetByRoleOptions().setName("Run it").setExact(true))
				.click();

			PlaywrightAssertions.assertThat(page.locator(".message.assistant").last())
				.containsText("teatime in Berlin",
						new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions()
							.setTimeout(20_000));
			PlaywrightAssertions.assertThat(page.locator(".message.assistant").last().locator(".tool-step"))
				.containsText("current_time");
			assertThat(openai.toolResults(openai.requests().getLast().json())).singleElement()
				.satisfies(result -> assertThat(result.text()).contains("Europe/Berlin"));
		}
	}

}
