package io.switchboard.channel.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.testsupport.IntegrationTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
 * The web app as a person uses it, in real Chromium: the whole conversation (commands,
 * image jobs and their buttons) back after a reload; the window never scrolls, the
 * message pane does; search with highlighted hits into the session; exports; every page
 * at desktop and phone size without horizontal scrolling, in dark mode, and with no
 * serious or critical accessibility violation (axe-core). Screenshots are kept in
 * {@code target/screenshots}.
 */
@IntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebAppBrowserTest {

	static final FakeOpenAi openai = FakeOpenAi.start("sk-test-key");

	@RegisterExtension
	static final BrowserRig rig = new BrowserRig(openai);

	static long sessionId;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		BrowserRig.fakeModel(registry, openai);
		registry.add("switchboard.llm.models.gpt-test.context-window", () -> "32000");
		registry.add("switchboard.image.demo.duration", () -> "300ms");
		registry.add("switchboard.assistant.max-message-chars", () -> "2000");
	}

	static final LocatorAssertions.IsVisibleOptions SLOW = new LocatorAssertions.IsVisibleOptions().setTimeout(20_000);

	@Test
	@Order(1)
	void theWholeConversationComesBackAfterAReload() {
		try (BrowserContext context = rig.desktop(port)) {
			Page page = signInAsAda(context);
			ready(page);
			openai.replyInPieces("Here is one:\n\n```java\n", "int cups = 2; // tea\n", "```\n");
			send(page, "Show me a Java line about tea");
			Locator answer = page.locator(".message.assistant").last();
			PlaywrightAssertions.assertThat(answer.locator("pre code.hljs")).isVisible(SLOW);
			PlaywrightAssertions.assertThat(answer.locator("pre .copy-code")).isVisible();
			PlaywrightAssertions.assertThat(answer.locator(".tools .copy-answer")).isVisible();
			PlaywrightAssertions.assertThat(answer.locator(".tools .regenerate")).isVisible();
			sessionId = Long.parseLong(page.url().replaceAll(".*/sessions/(\\d+).*", "$1"));

			send(page, "/help");
			PlaywrightAssertions.assertThat(page.locator(".message.notice").last()).containsText("/search");
			PlaywrightAssertions.assertThat(page.locator(".message.user.command").last()).hasText("/help");

			send(page, "/imagine a red kite over the sea");
			Locator origin = page.locator(".message.notice .image-job").last();
			PlaywrightAssertions.assertThat(origin.locator("img")).isVisible(SLOW);
			PlaywrightAssertions.assertThat(origin.locator(".reply-actions button")).hasCount(9);
			origin.locator(".reply-actions button", new Locator.LocatorOptions().setHasText("U2")).click();
			// the press reads as what it does, not as the command it sends
			PlaywrightAssertions.assertThat(page.locator(".message.user.command").last())
				.hasText(Pattern.compile("Upscale 2 of image #\\d+"));
			Locator upscale = page.locator(".message.notice .image-job").nth(1);
			PlaywrightAssertions.assertThat(upscale.locator("img")).isVisible(SLOW);
			PlaywrightAssertions.assertThat(upscale.locator(".reply-actions button"))
				.hasText(new String[] { "Vary (Strong)", "Vary (Subtle)" });

			page.reload();
			ready(page);
			// in place and in order: the question, the answer, /help, the grid, the
			// press, the upscale
			PlaywrightAssertions.assertThat(page.locator(".message.user.command"))
				.hasText(new String[] { "/help", "/imagine a red kite over the sea",
						"Upscale 2 of image #" + page.locator(".image-job").first().getAttribute("data-job") + "" });
			PlaywrightAssertions.assertThat(page.locator(".message.notice").first()).containsText("/search");
			Locator jobs = page.locator(".message.notice .image-job");
			PlaywrightAssertions.assertThat(jobs).hasCount(2);
			PlaywrightAssertions.assertThat(jobs.first().locator("img")).isVisible(SLOW);
			PlaywrightAssertions.assertThat(jobs.nth(1).locator("img")).isVisible(SLOW);
			assertThat((Boolean) jobs.first().locator("img").evaluate("img => img.complete && img.naturalWidth > 0"))
				.isTrue();
			PlaywrightAssertions.assertThat(jobs.first().locator(".reply-actions button")).hasCount(9);
			PlaywrightAssertions.assertThat(page.locator(".message.assistant pre code.hljs")).isVisible();

			// the buttons kept in the history still work
			jobs.first().locator(".reply-actions button", new Locator.LocatorOptions().setHasText("V1")).click();
			PlaywrightAssertions.assertThat(page.locator(".message.user.command").last())
				.hasText(Pattern.compile("Vary 1 of image #\\d+ \\(strong\\)"));
			PlaywrightAssertions.assertThat(page.locator(".message.notice .image-job")).hasCount(3);
			PlaywrightAssertions.assertThat(page.locator(".message.notice .image-job").last().locator("img"))
				.isVisible(SLOW);
			page.waitForTimeout(300);

			// the window does not scroll: the header stays, the message pane shows the
			// newest
			Map<?, ?> scroll = (Map<?, ?>) page.evaluate("""
					() => { const m = document.getElementById('messages');
					  return { window: window.scrollY, page: document.scrollingElement.scrollHeight,
					           inner: window.innerHeight, gap: m.scrollHeight - m.scrollTop - m.clientHeight,
					           pane: m.scrollHeight > m.clientHeight }; }""");
			assertThat(((Number) scroll.get("window")).intValue()).isZero();
			assertThat(((Number) scroll.get("page")).intValue())
				.isLessThanOrEqualTo(((Number) scroll.get("inner")).intValue());
			assertThat(scroll.get("pane")).isEqualTo(true);
			assertThat(((Number) scroll.get("gap")).intValue()).isLessThan(8);
			PlaywrightAssertions.assertThat(page.locator("#nav-search")).isInViewport();
			PlaywrightAssertions.assertThat(page.locator(".message.notice .image-job").last().locator("img"))
				.isInViewport();
			screenshot(page, "webapp-chat.png");
		}
	}

	@Test
	@Order(2)
	void aLongOrRefusedMessageKeepsItsTextAndLimitsAreNamed() {
		try (BrowserContext context = rig.desktop(port)) {
			Page page = signInAsAda(context);
			page.navigate("/sessions/" + sessionId);
			ready(page);
			String longText = "x".repeat(2100);
			page.fill("#message-input", longText);
			PlaywrightAssertions.assertThat(page.locator("#char-counter")).containsText("too long");
			PlaywrightAssertions.assertThat(page.locator("#char-counter")).hasClass(Pattern.compile("over"));
			page.click("#send");
			PlaywrightAssertions.assertThat(page.locator(".message.error").last()).containsText("limit is 2,000");
			assertThat(page.inputValue("#message-input")).hasSize(2100);

			// a text file named .png: named as not a picture, no broken preview
			page.setInputFiles("#image-input", new com.microsoft.playwright.options.FilePayload("notes.png",
					"image/png", "just text".getBytes(StandardCharsets.UTF_8)));
			PlaywrightAssertions.assertThat(page.locator("#file-error")).containsText("not a picture");
			PlaywrightAssertions.assertThat(page.locator("#image-preview img")).hasCount(0);

			// the server names the upload limit too
			APIResponse tooLarge = page.request()
				.post("/chat/messages",
						com.microsoft.playwright.options.RequestOptions.create()
							.setHeader("X-CSRF-TOKEN", page.locator("meta[name=_csrf]").getAttribute("content"))
							.setMultipart(com.microsoft.playwright.options.FormData.create()
								.set("text", "big")
								.set("image", new com.microsoft.playwright.options.FilePayload("big.png", "image/png",
										new byte[11 * 1024 * 1024]))));
			assertThat(tooLarge.status()).isEqualTo(413);
			assertThat(tooLarge.text()).contains("the limit is 10 MB");

			// the API keys page gives the whole base URL, with a copy button
			page.navigate("/api-keys");
			PlaywrightAssertions.assertThat(page.locator("#base-url")).hasText(Pattern.compile("^https?://.+/v1$"));
			PlaywrightAssertions.assertThat(page.locator("#copy-base-url")).isVisible();
		}
	}

	@Test
	@Order(3)
	void searchFindsEarlierQuestionsHighlightedAndLeadsIntoTheSession() throws Exception {
		try (BrowserContext context = rig.desktop(port)) {
			Page page = signInAsAda(context);
			page.fill("#sidebar-q", "java tea");
			page.press("#sidebar-q", "Enter");
			PlaywrightAssertions.assertThat(page).hasURL(Pattern.compile(".*/search\\?q=java\\+tea"));
			Locator hits = page.locator("#hits li");
			PlaywrightAssertions.assertThat(hits.first()).containsText("Show me a Java line about tea");
			PlaywrightAssertions.assertThat(hits.first().locator("mark").first()).isVisible();
			assertThat(hits.first().locator("mark").allTextContents()).contains("Java", "tea");
			PlaywrightAssertions.assertThat(hits.first().locator(".tag.platform")).hasText("web");
			screenshot(page, "webapp-search.png");
			hits.first().locator(".hit-link").click();
			PlaywrightAssertions.assertThat(page)
				.hasURL(Pattern.compile(".*/sessions/" + sessionId + "\\?at=\\d+#m\\d+"));
			PlaywrightAssertions.assertThat(page.locator(".message.found")).isInViewport();
			PlaywrightAssertions.assertThat(page.locator(".message.found")).containsText("Java line");

			page.navigate("/search?q=" + "nothing+like+this+anywhere");
			PlaywrightAssertions.assertThat(page.locator("#no-hits")).isVisible();
			page.navigate("/search?q=" + "%3F%21");
			PlaywrightAssertions.assertThat(page.locator("#search-error")).isVisible();

			// /search in the message box answers the same, as on every platform
			page.navigate("/sessions/" + sessionId);
			ready(page);
			send(page, "/search cups");
			PlaywrightAssertions.assertThat(page.locator(".message.notice").last()).containsText("Found in your");
			PlaywrightAssertions.assertThat(page.locator(".message.notice").last().locator("strong")).not().hasCount(0);

			// exports: the page's downloads, and /export's signed links that need no
			// sign-in
			APIResponse markdown = page.request().get("/export/sessions/" + sessionId + ".md");
			assertThat(markdown.status()).isEqualTo(200);
			assertThat(markdown.headers().get("content-disposition"))
				.contains("switchboard-session-" + sessionId + ".md");
			assertThat(markdown.text()).contains("Show me a Java line about tea", "**You**");
			APIResponse jsonl = page.request().get("/export/all.jsonl");
			assertThat(jsonl.status()).isEqualTo(200);
			JsonNode first = new ObjectMapper().readTree(jsonl.text().lines().findFirst().orElseThrow());
			assertThat(first.path("role").asText()).isEqualTo("user");
			assertThat(page.request().get("/export/all.pdf").status()).isEqualTo(404);

			send(page, "/export");
			Locator links = page.locator(".message.notice").last().locator("a");
			PlaywrightAssertions.assertThat(links).hasCount(4);
			String link = links.first().getAttribute("href");
			try (BrowserContext stranger = rig.browser().newContext(port, 800, 600, false)) {
				APIResponse signed = stranger.request().get(link.replaceFirst("^https?://[^/]+", ""));
				assertThat(signed.status()).isEqualTo(200);
				assertThat(signed.text()).contains("Show me a Java line about tea");
				APIResponse forged = stranger.request()
					.get(link.replaceFirst("^https?://[^/]+", "").replace("scope=" + sessionId, "scope=all"));
				assertThat(forged.status()).isEqualTo(403);
			}

			// the page's button for /link gives a code to send from another platform
			page.click("#link-account");
			PlaywrightAssertions.assertThat(page.locator(".message.notice").last())
				.containsText(Pattern.compile("Your link code: [A-Z0-9]{8}"));
		}
	}

	static final List<String> PAGES = List.of("/", "/search?q=tea", "/studio", "/comics", "/api-keys", "/usage",
			"/admin/users");

	@Test
	@Order(4)
	void everyPageFitsAPhoneWithItsMenuAndSessionList() {
		try (BrowserContext context = rig.browser().newContext(port, 390, 844, false)) {
			Page page = signInAsAda(context);
			for (String path : PAGES) {
				page.navigate(path);
				page.waitForLoadState();
				assertFits(page, path);
				screenshot(page, "phone" + name(path) + ".png");
			}
			page.navigate("/sessions/" + sessionId);
			ready(page);
			assertFits(page, "chat");
			PlaywrightAssertions.assertThat(page.locator("#send")).isInViewport();
			PlaywrightAssertions.assertThat(page.locator("#site-nav")).isHidden();
			PlaywrightAssertions.assertThat(page.locator("#sidebar")).not().isInViewport();
			screenshot(page, "phone-chat.png");
			page.click("#menu-toggle");
			PlaywrightAssertions.assertThat(page.locator("#sign-out")).isInViewport();
			PlaywrightAssertions.assertThat(page.locator("#site-nav a", new Page.LocatorOptions().setHasText("Usage")))
				.isInViewport();
			screenshot(page, "phone-menu.png");
			page.click("#menu-toggle");
			page.click("#sessions-toggle");
			PlaywrightAssertions.assertThat(page.locator("#sidebar .sessions li.current")).isInViewport();
			assertFits(page, "chat with the session list");
			page.waitForTimeout(400); // the list slides in
			screenshot(page, "phone-sessions.png");
		}
	}

	static void assertFits(Page page, String what) {
		Map<?, ?> widths = (Map<?, ?>) page
			.evaluate("() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })");
		assertThat(((Number) widths.get("scroll")).intValue()).as(what + " scrolls sideways on a phone")
			.isLessThanOrEqualTo(((Number) widths.get("inner")).intValue());
	}

	static String name(String path) {
		String name = path.replaceAll("\\?.*", "").replaceAll("[^a-z]+", "-");
		return name.equals("-") ? "-home" : name.replaceAll("-$", "");
	}

	@Test
	@Order(5)
	void darkModeFollowsTheSystemAndTheToggle() {
		try (BrowserContext context = rig.browser().newContext(port, 1280, 900, true)) {
			Page page = signInAsAda(context);
			page.navigate("/sessions/" + sessionId);
			ready(page);
			assertThat(brightness(page)).as("dark by the system's choice").isLessThan(60);
			screenshot(page, "webapp-dark.png");
			page.click("#theme-toggle");
			assertThat(brightness(page)).as("light by the toggle").isGreaterThan(200);
			page.reload();
			ready(page);
			assertThat(brightness(page)).as("the choice is kept").isGreaterThan(200);
			page.click("#theme-toggle");
			assertThat(brightness(page)).isLessThan(60);
		}
	}

	/** The body background's mean channel, 0 (black) to 255 (white). */
	static int brightness(Page page) {
		String color = (String) page.evaluate("() => getComputedStyle(document.body).backgroundColor");
		String[] rgb = color.replaceAll("[^0-9,]", "").split(",");
		return (Integer.parseInt(rgb[0]) + Integer.parseInt(rgb[1]) + Integer.parseInt(rgb[2])) / 3;
	}

	@Test
	@Order(6)
	void noPageHasSeriousOrCriticalAccessibilityViolations() {
		List<String> found = new ArrayList<>();
		for (boolean dark : new boolean[] { false, true }) {
			for (int[] size : new int[][] { { 1280, 900 }, { 390, 844 } }) {
				try (BrowserContext context = rig.browser().newContext(port, size[0], size[1], dark)) {
					Page page = signInAsAda(context);
					List<String> paths = new ArrayList<>(PAGES);
					paths.add("/sessions/" + sessionId);
					for (String path : paths) {
						page.navigate(path);
						page.waitForLoadState();
						for (String violation : seriousAccessibilityViolations(page)) {
							found.add((dark ? "dark " : "light ") + size[0] + "px " + path + ": " + violation);
						}
					}
				}
			}
		}
		try (BrowserContext context = rig.browser().newContext(port, 390, 844, false)) {
			Page page = context.newPage();
			page.navigate("/login");
			seriousAccessibilityViolations(page).forEach(violation -> found.add("/login: " + violation));
		}
		assertThat(found).as("serious or critical accessibility violations").isEmpty();
	}

}
