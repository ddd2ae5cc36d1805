package io.switchboard.channel.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.testsupport.Browser;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the web app's browser tests share, so that each keeps only its own settings and
 * steps: the fake model as {@code gpt-test}, Chromium started at first use and closed
 * with the class's fake servers once its tests are done, and the page's common moves
 * (signing in, waiting for the composer, sending, screenshots, an axe check).
 *
 * <pre>
 * static final FakeOpenAi openai = FakeOpenAi.start("sk-test-key");
 *
 * &#64;RegisterExtension
 * static final BrowserRig rig = new BrowserRig(openai);
 * </pre>
 */
final class BrowserRig implements AfterAllCallback {

	/**
	 * Where screenshots are kept for a person to look at; Playwright makes the folder.
	 */
	static final Path SHOTS = Path.of("target/screenshots");

	/** The admin that {@link #signInAsAda} makes on a new server's first-run page. */
	static final String ADA_PASSWORD = "analytical-engine";

	private final List<AutoCloseable> fakes;

	private Browser browser;

	/**
	 * @param fakes the class's fake servers, closed after Chromium once its tests ran
	 */
	BrowserRig(AutoCloseable... fakes) {
		this.fakes = List.of(fakes);
	}

	/**
	 * The fake OpenAI server as provider {@code fake-openai} and its model
	 * {@code gpt-test} (upstream {@code gpt-4o-mini}); a test adds the model's other
	 * settings it needs.
	 */
	static void fakeModel(DynamicPropertyRegistry registry, FakeOpenAi openai) {
		registry.add("switchboard.llm.providers.fake-openai.type", () -> "openai");
		registry.add("switchboard.llm.providers.fake-openai.base-url", () -> openai.baseUrl().toString());
		registry.add("switchboard.llm.providers.fake-openai.api-key", openai::apiKey);
		registry.add("switchboard.llm.models.gpt-test.provider", () -> "fake-openai");
		registry.add("switchboard.llm.models.gpt-test.upstream-model", () -> "gpt-4o-mini");
	}

	/**
	 * Chromium, started at first use, so that tests that need none do not wait for it.
	 */
	Browser browser() {
		return browser(List.of());
	}

	/**
	 * Chromium with more command-line switches (a fake microphone), started at first use;
	 * later calls get the same browser whatever they pass.
	 */
	synchronized Browser browser(List<String> switches) {
		if (browser == null) {
			browser = Browser.launch(switches);
		}
		return browser;
	}

	/** A fresh profile at desktop size in the light scheme. */
	BrowserContext desktop(int port) {
		return browser().newContext(port, 1280, 900, false);
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		synchronized (this) {
			if (browser != null) {
				browser.close();
				browser = null;
			}
		}
		for (AutoCloseable fake : fakes) {
			fake.close();
		}
	}

	/**
	 * Signs in as Ada, the admin: on a new server she is made on the first-run page, as a
	 * person would.
	 */
	static Page signInAsAda(BrowserContext context) {
		Page page = context.newPage();
		page.navigate("/");
		if (page.url().endsWith("/setup")) {
			page.fill("input[name=username]", "ada");
			page.fill("input[name=displayName]", "Ada Lovelace");
			page.fill("input[name=password]", ADA_PASSWORD);
			page.fill("input[name=passwordAgain]", ADA_PASSWORD);
			page.click("button[type=submit]");
		}
		else if (page.url().contains("/login")) {
			page.fill("input[name=username]", "ada");
			page.fill("input[name=password]", ADA_PASSWORD);
			page.click("button[type=submit]");
		}
		PlaywrightAssertions.assertThat(page.locator("#site-nav")).hasCount(1);
		return page;
	}

	/** Signs in with the login form as an account that exists already. */
	static Page signIn(BrowserContext context, String username, String password) {
		Page page = context.newPage();
		page.navigate("/login");
		page.fill("input[name=username]", username);
		page.fill("input[name=password]", password);
		page.click("button[type=submit]");
		PlaywrightAssertions.assertThat(page.locator("#site-nav")).hasCount(1);
		return page;
	}

	/** Waits for the page's deferred script: typing before it runs would not send. */
	static void ready(Page page) {
		PlaywrightAssertions.assertThat(page.locator("#composer")).hasAttribute("data-ready", "true");
	}

	/** Types a message and sends it with Enter, as a person does. */
	static void send(Page page, String text) {
		page.fill("#message-input", text);
		page.keyboard().press("Enter");
	}

	/** The window as shown, kept as {@code target/screenshots/<fileName>}. */
	static void screenshot(Page page, String fileName) {
		page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(fileName)));
	}

	/**
	 * The whole page, scrolled parts too, kept as {@code target/screenshots/<fileName>}.
	 */
	static void screenshotFullPage(Page page, String fileName) {
		page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(fileName)).setFullPage(true));
	}

	/**
	 * The page's serious and critical accessibility violations by axe-core (from its
	 * WebJar), each as its rule, impact, help and first places; the page's context must
	 * bypass its Content Security Policy for the checker to run.
	 */
	static List<String> seriousAccessibilityViolations(Page page) {
		page.addScriptTag(new Page.AddScriptTagOptions().setContent(axe()));
		Object found = page.evaluate("""
				async () => {
				  const r = await axe.run(document, { resultTypes: ['violations'] });
				  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
				    .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
				      + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
				}""");
		List<String> violations = new ArrayList<>();
		((List<?>) found).forEach(violation -> violations.add(String.valueOf(violation)));
		return violations;
	}

	private static String axe() {
		try (InputStream in = BrowserRig.class
			.getResourceAsStream("/META-INF/resources/webjars/axe-core/4.6.3/axe.min.js")) {
			assertThat(in).as("axe-core from its WebJar").isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException failure) {
			throw new UncheckedIOException(failure);
		}
	}

}
