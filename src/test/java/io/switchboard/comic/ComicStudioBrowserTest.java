package io.switchboard.comic;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.fakes.FakeSdWebUi;
import io.switchboard.testsupport.Browser;
import io.switchboard.testsupport.IntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The comic studio in real Chromium against the fake model and the fake SD WebUI: from a
 * Korean idea through the story (edited, one panel written anew), the prompts and the
 * panels (progress, a different candidate chosen) to a 2x2 strip, downloaded as a PNG,
 * with no Content Security Policy violation on the way.
 */
@IntegrationTest
@TestPropertySource(properties = { "db-scheduler.polling-interval=100ms" })
class ComicStudioBrowserTest {

	static final FakeOpenAi openai = FakeOpenAi.start("sk-studio");

	static final FakeSdWebUi sd = FakeSdWebUi.start().drawTime(Duration.ofMillis(600));

	static Browser browser;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void fakes(DynamicPropertyRegistry registry) {
		registry.add("switchboard.llm.providers.fake-openai.type", () -> "openai");
		registry.add("switchboard.llm.providers.fake-openai.base-url", () -> openai.baseUrl().toString());
		registry.add("switchboard.llm.providers.fake-openai.api-key", openai::apiKey);
		registry.add("switchboard.llm.models.gpt-test.provider", () -> "fake-openai");
		registry.add("switchboard.llm.models.gpt-test.upstream-model", () -> "gpt-4o-mini");
		registry.add("switchboard.llm.models.gpt-test.context-window", () -> "32000");
		registry.add("switchboard.image.default-provider", () -> "sd");
		registry.add("switchboard.image.providers.sd.type", () -> "sd-webui");
		registry.add("switchboard.image.providers.sd.base-url", () -> sd.uri().toString());
		registry.add("switchboard.image.providers.sd.poll-interval", () -> "200ms");
	}

	@BeforeAll
	static void launch() {
		browser = Browser.launch();
	}

	@AfterAll
	static void shutDown() {
		if (browser != null) {
			browser.close();
		}
		openai.close();
		sd.close();
	}

	@BeforeEach
	void script() {
		openai.reset();
	}

	/** Makes the first account on a new server, or signs in to it. */
	static void enter(Page page) {
		page.navigate("/");
		if (page.url().endsWith("/setup")) {
			page.fill("input[name=username]", "jeon");
			page.fill("input[name=displayName]", "Jeon");
			page.fill("input[name=password]", "four-panel-comic");
			page.fill("input[name=passwordAgain]", "four-panel-comic");
		}
		else {
			page.fill("input[name=username]", "jeon");
			page.fill("input[name=password]", "four-panel-comic");
		}
		page.click("button[type=submit]");
		PlaywrightAssertions.assertThat(page.locator("#nav-comics")).isVisible();
	}

	@Test
	void slashComicInTheWebChatLeadsToTheStripBeingMade() {
		try (BrowserContext context = browser.newContext(port)) {
			Page page = context.newPage();
			enter(page);
			openai.replyNext(ComicScripts.STORY, ComicScripts.PROMPTS);
			page.navigate("/");
			PlaywrightAssertions.assertThat(page.locator("#composer")).hasAttribute("data-ready", "true");
			page.fill("#message-input", "/comic 고양이가 바리스타가 되고 싶어 한다");
			page.keyboard().press("Enter");
			PlaywrightAssertions.assertThat(page.locator(".message.notice").last()).containsText("started");
			page.locator(".message.notice")
				.last()
				.locator("a", new com.microsoft.playwright.Locator.LocatorOptions().setHasText("Watch it being made"))
				.click();
			PlaywrightAssertions.assertThat(page).hasURL(Pattern.compile(".*/comics/\\d+$"));
			// the page follows the run until the strip is there
			PlaywrightAssertions.assertThat(page.locator("#strip-image"))
				.isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(60_000));
			PlaywrightAssertions.assertThat(page.locator("#run-state")).hasText("/comic: finished");
			PlaywrightAssertions.assertThat(page.locator("#comic-title")).hasText("고양이 바리스타");
		}
	}

	@Test
	void fromAnIdeaToADownloadedStrip() throws Exception {
		List<String> problems = new CopyOnWriteArrayList<>();
		// the page's CSP is bypassed in this context so that axe can be added at the
		// panels step
		try (BrowserContext context = browser.newContext(port, 1280, 900, false)) {
			Page page = context.newPage();
			enter(page);
			// from here on, on the studio's pages: no script error, no CSP violation, no
			// failed request (but the browser's own favicon look-up)
			page.onConsoleMessage(message -> {
				if ("error".equals(message.type()) && !message.text().startsWith("Failed to load resource")) {
					problems.add(message.text());
				}
			});
			page.onPageError(problems::add);
			page.onResponse(response -> {
				if (response.status() >= 400 && !response.url().endsWith("/favicon.ico")) {
					problems.add(response.status() + " " + response.url());
				}
			});
			page.click("#nav-comics");
			PlaywrightAssertions.assertThat(page).hasURL(Pattern.compile(".*/comics$"));
			PlaywrightAssertions.assertThat(page.locator("#no-comics")).isVisible();

			// 1 · idea, with a preset that fills genre and style
			openai.replyNext(ComicScripts.STORY, ComicScripts.PANEL, ComicScripts.PROMPTS);
			page.fill("#idea", "고양이가 바리스타가 되고 싶어 한다");
			page.selectOption("#preset", "slice-of-life");
			PlaywrightAssertions.assertThat(page.locator("#style"))
				.hasValue("soft watercolor webtoon, pastel colours, clean line art");
			page.selectOption("#layout", "grid");
			page.click("#start-comic");

			// 2 · story: written by the model, edited, one panel written anew
			PlaywrightAssertions.assertThat(page.locator("#story-step")).isVisible();
			PlaywrightAssertions.assertThat(page.locator("#story-title")).hasValue("고양이 바리스타");
			PlaywrightAssertions.assertThat(page.locator("#caption-1")).hasValue("어느 월요일 아침");
			page.fill("#story-title", "고양이 바리스타 2x2-test");
			page.fill("#caption-4", "끝!!");
			page.click("#rewrite-2");
			PlaywrightAssertions.assertThat(page.locator("#flash")).hasText("Panel 2 was written anew.");
			PlaywrightAssertions.assertThat(page.locator("#caption-2")).hasValue("두 번째 시도");
			PlaywrightAssertions.assertThat(page.locator("#caption-4")).hasValue("끝!!");
			page.click("#next");

			// 3 · prompts
			PlaywrightAssertions.assertThat(page.locator("#prompts-step")).isVisible();
			PlaywrightAssertions.assertThat(page.locator("#style-line"))
				.hasValue("soft watercolor webtoon, pastel colours, clean line art");
			PlaywrightAssertions.assertThat(page.locator("#prompt-4")).containsText("fish latte art");
			page.click("#next");

			// 4 · panels: progress, then the images, then another candidate for panel 1
			PlaywrightAssertions.assertThat(page.locator("#panels-step")).isVisible();
			PlaywrightAssertions.assertThat(page.locator(".comic-panel-card .comic-panel-image"))
				.hasCount(4, new LocatorAssertions.HasCountOptions().setTimeout(30_000));
			PlaywrightAssertions.assertThat(page.locator("#next"))
				.isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(30_000));
			page.click("#choose-1-2");
			PlaywrightAssertions.assertThat(page.locator("#choose-1-2")).hasText("✓ In use");
			// every candidate's buttons say what they do and to which panel, to a screen
			// reader as well
			PlaywrightAssertions
				.assertThat(page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
						new Page.GetByRoleOptions().setName("Vary (strong): candidate 3 of panel 2").setExact(true)))
				.hasCount(1);
			PlaywrightAssertions
				.assertThat(page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
						new Page.GetByRoleOptions().setName("Vary (subtle): candidate 1 of panel 4").setExact(true)))
				.hasCount(1);
			PlaywrightAssertions.assertThat(page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
					new Page.GetByRoleOptions().setName("Use 4 for panel 3").setExact(true)))
				.hasCount(1);
			assertThat(page.locator(".comic-candidates button").allTextContents())
				.allSatisfy(label -> assertThat(label.strip()).hasSizeGreaterThan(2));
			assertThat(axeSeriousOrCritical(page)).as("accessibility of the panels step").isEmpty();
			page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/comic-panels.png"))
				.setFullPage(true));
			page.click("#next");

			// 5 · strip: 2x2, composed, downloaded
			PlaywrightAssertions.assertThat(page.locator("#strip-step")).isVisible();
			PlaywrightAssertions.assertThat(page.locator("#layout-grid")).isChecked();
			page.click("#compose");
			PlaywrightAssertions.assertThat(page.locator("#strip-image")).isVisible();
			Download download = page.waitForDownload(() -> page.click("#download"));
			assertThat(download.suggestedFilename()).isEqualTo("고양이 바리스타 2x2-test.png");
			Path file = Files.createTempFile("strip", ".png");
			download.saveAs(file);
			BufferedImage strip = ImageIO.read(file.toFile());
			assertThat(strip.getWidth()).isEqualTo(2 * StripRenderer.MARGIN + 2 * 512 + StripRenderer.GUTTER);
			Files.copy(file, Path.of("target/screenshots/comic-strip.png"),
					java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/comic-studio.png"))
				.setFullPage(true));

			// the gallery has it, and it reopens at the strip
			page.click("#nav-comics");
			com.microsoft.playwright.Locator tile = page.locator(".comic-tile")
				.filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("2x2-test"));
			PlaywrightAssertions.assertThat(tile).hasCount(1);
			tile.locator("a").click();
			PlaywrightAssertions.assertThat(page.locator("#strip-image")).isVisible();
			page.click("#step-story");
			PlaywrightAssertions.assertThat(page.locator("#caption-4")).hasValue("끝!!");
		}
		assertThat(problems).as("console errors (CSP violations show up here)").isEmpty();
		assertThat(openai.requests()).hasSize(3);
	}

	/** The serious or critical axe-core violations on the page as it is now. */
	static java.util.List<String> axeSeriousOrCritical(Page page) throws java.io.IOException {
		try (java.io.InputStream in = ComicStudioBrowserTest.class
			.getResourceAsStream("/META-INF/resources/webjars/axe-core/4.6.3/axe.min.js")) {
			assertThat(in).as("axe-core from its WebJar").isNotNull();
			page.addScriptTag(new Page.AddScriptTagOptions()
				.setContent(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
		}
		Object result = page.evaluate("""
				async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
				  .filter(v => v.impact === 'serious' || v.impact === 'critical')
				  .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))""");
		return ((java.util.List<?>) result).stream().map(String::valueOf).toList();
	}

}
