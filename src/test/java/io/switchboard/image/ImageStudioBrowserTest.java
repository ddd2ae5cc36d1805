package io.switchboard.image;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.switchboard.fakes.FakeHttpServer.RecordedRequest;
import io.switchboard.fakes.FakeSdWebUi;
import io.switchboard.testsupport.Browser;
import io.switchboard.testsupport.IntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image studio in real Chromium against the fake Stable Diffusion WebUI: a prompt
 * with its parameters gives four candidates with a progress bar on the way; U1 upscales
 * one, Vary (Subtle) varies the upscale, U2 upscales again, and the job tree shows what
 * came from what, all under the page's strict Content Security Policy.
 */
@IntegrationTest
class ImageStudioBrowserTest {

	static final FakeSdWebUi sd = FakeSdWebUi.start().drawTime(Duration.ofMillis(1200));

	static Browser browser;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void fakeSd(DynamicPropertyRegistry registry) {
		registry.add("switchboard.image.providers.sd.type", () -> "sd-webui");
		registry.add("switchboard.image.providers.sd.base-url", () -> sd.uri().toString());
		registry.add("switchboard.image.providers.sd.poll-interval", () -> "200ms");
		registry.add("db-scheduler.polling-interval", () -> "100ms");
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
		sd.close();
	}

	static final LocatorAssertions.IsVisibleOptions LONG = new LocatorAssertions.IsVisibleOptions().setTimeout(20_000);

	List<RecordedRequest> calls(String path) {
		return sd.requests().stream().filter(r -> r.path().equals(path)).toList();
	}

	@Test
	void originUpscaleVarySubtleUpscaleInTheStudio() {
		try (BrowserContext context = browser.newContext(port)) {
			Page page = context.newPage();
			List<String> problems = new CopyOnWriteArrayList<>();
			page.onConsoleMessage(message -> {
				// the page's own scripts and styles must pass the strict CSP
				if (message.text().contains("Content Security Policy") || message.text().contains("Refused to")) {
					problems.add(message.text());
				}
			});
			page.navigate("/");
			page.fill("input[name=username]", "ada");
			page.fill("input[name=displayName]", "Ada Lovelace");
			page.fill("input[name=password]", "analytical-engine");
			page.fill("input[name=passwordAgain]", "analytical-engine");
			page.click("button[type=submit]");
			page.click(".topbar a:has-text('Studio')");
			PlaywrightAssertions.assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/studio$"));
			PlaywrightAssertions.assertThat(page.locator("#current .empty")).isVisible();

			// origin: four candidates from the prompt and its parameters, with progress
			// on the way
			page.fill("#prompt", "a lighthouse at dawn, oil painting");
			page.fill("#negative-prompt", "watermark");
			page.selectOption("#size", "768x512");
			page.fill("#seed", "564404008");
			page.fill("#steps", "30");
			page.fill("#cfg-scale", "6");
			page.fill("#sampler", "DPM++ 2M Karras");
			page.click("#imagine");
			PlaywrightAssertions.assertThat(page.locator("#current progress")).isVisible();
			PlaywrightAssertions.assertThat(page.locator("#current .candidates img").first()).isVisible(LONG);
			PlaywrightAssertions.assertThat(page.locator("#current .candidates img")).hasCount(4);
			assertThat(imagesLoaded(page, "#current .candidates img")).isTrue();
			var txt2img = calls("/sdapi/v1/txt2img").getLast().json();
			assertThat(txt2img.path("prompt").asText()).isEqualTo("a lighthouse at dawn, oil painting");
			assertThat(txt2img.path("negative_prompt").asText()).isEqualTo("watermark");
			assertThat(txt2img.path("width").asInt()).isEqualTo(768);
			assertThat(txt2img.path("height").asInt()).isEqualTo(512);
			assertThat(txt2img.path("seed").asLong()).isEqualTo(564404008L);
			assertThat(txt2img.path("steps").asInt()).isEqualTo(30);
			assertThat(txt2img.path("cfg_scale").asDouble()).isEqualTo(6.0);
			assertThat(txt2img.path("sampler_name").asText()).isEqualTo("DPM++ 2M Karras");
			assertThat(txt2img.path("batch_size").asInt()).isEqualTo(4);
			PlaywrightAssertions.assertThat(page.locator("#current .job-actions button"))
				.hasText(new String[] { "U1", "U2", "U3", "U4", "V1", "V2", "V3", "V4", "🔄 Reroll" });

			// upscale candidate 1
			page.click("#current .job-actions button[data-code=U1]");
			PlaywrightAssertions.assertThat(page.locator("#current .upscaled img")).isVisible(LONG);
			assertThat(calls("/sdapi/v1/extra-single-image")).hasSize(1);
			PlaywrightAssertions.assertThat(page.locator("#current .job-actions button"))
				.hasText(new String[] { "Vary (Strong)", "Vary (Subtle)" });
			assertThat(page.locator("#download").getAttribute("href")).startsWith("/media/").contains("sig=");

			// vary the upscale subtly: img2img at low denoising, four new candidates
			page.click("#current .job-actions button[data-code=VS]");
			PlaywrightAssertions.assertThat(page.locator("#current .candidates img").first()).isVisible(LONG);
			PlaywrightAssertions.assertThat(page.locator("#current .candidates img")).hasCount(4);
			var img2img = calls("/sdapi/v1/img2img").getLast().json();
			assertThat(img2img.path("denoising_strength").asDouble()).isEqualTo(0.35);

			// and upscale again
			page.click("#current .job-actions button[data-code=U2]");
			PlaywrightAssertions.assertThat(page.locator("#current .upscaled img")).isVisible(LONG);
			assertThat(calls("/sdapi/v1/extra-single-image")).hasSize(2);
			assertThat(imagesLoaded(page, "#current .upscaled img")).isTrue();

			// the tree: origin -> upscale 1 -> vary subtle -> upscale 2
			Locator tree = page.locator("#current .job-tree");
			PlaywrightAssertions.assertThat(tree.locator("a")).hasCount(4);
			assertThat(tree.locator("a").allInnerTexts()).satisfiesExactly(
					origin -> assertThat(origin).contains("origin"), up -> assertThat(up).contains("upscale 1"),
					vary -> assertThat(vary).contains("vary subtle"), up2 -> assertThat(up2).contains("upscale 2"));
			PlaywrightAssertions.assertThat(page.locator("#recent li")).hasCount(4);

			// the tree takes you back to an earlier job
			tree.locator("a").first().click();
			PlaywrightAssertions.assertThat(page.locator("#current .candidates img")).hasCount(4);
			page.screenshot(
					new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/studio.png")).setFullPage(true));
			assertThat(problems).as("CSP violations").isEmpty();
		}
	}

	/** Whether the images arrive and decode (signed links, allowed by the CSP). */
	private static boolean imagesLoaded(Page page, String selector) {
		page.waitForFunction("selector => { const images = [...document.querySelectorAll(selector)]; "
				+ "return images.length > 0 && images.every(image => image.complete && image.naturalWidth > 0); }",
				selector, new Page.WaitForFunctionOptions().setTimeout(10_000));
		return true;
	}

}
