package io.switchboard.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium driven by Playwright, headless, with the flags this sandbox needs.
 * Browser tests skip with a visible message when Chromium is not installed, unless
 * {@code SWITCHBOARD_REQUIRE_BROWSER=true} (CI) makes them mandatory.
 */
public final class Browser implements AutoCloseable {

	private final Playwright playwright;

	private final com.microsoft.playwright.Browser browser;

	private Browser(Playwright playwright, com.microsoft.playwright.Browser browser) {
		this.playwright = playwright;
		this.browser = browser;
	}

	public static Browser launch() {
		return launch(List.of());
	}

	/**
	 * With more command-line switches, e.g. Chromium's fake microphone
	 * ({@code --use-fake-device-for-media-stream}).
	 */
	public static Browser launch(List<String> moreArgs) {
		Path chromium = Path.of(System.getenv().getOrDefault("SWITCHBOARD_CHROMIUM", "/usr/bin/chromium"));
		if (!Files.isExecutable(chromium)) {
			String message = "SKIPPED: browser tests, because Chromium is not at " + chromium
					+ " (apt-get install chromium, or set SWITCHBOARD_CHROMIUM)";
			if (Boolean.parseBoolean(System.getenv("SWITCHBOARD_REQUIRE_BROWSER"))) {
				throw new IllegalStateException(message);
			}
			System.err.println(message);
			Assumptions.abort(message);
		}
		Playwright playwright = Playwright
			.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
		com.microsoft.playwright.Browser browser = playwright.chromium()
			.launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
				.setHeadless(true)
				.setArgs(java.util.stream.Stream
					.concat(java.util.stream.Stream.of("--no-sandbox", "--disable-gpu",
							"--disable-background-networking", "--disable-component-update", "--disable-sync",
							"--no-first-run"), moreArgs.stream())
					.toList()));
		return new Browser(playwright, browser);
	}

	/** A fresh browser profile (its own cookies) on the given server. */
	public BrowserContext newContext(int port) {
		return browser
			.newContext(new NewContextOptions().setBaseURL("http://127.0.0.1:" + port).setViewportSize(1280, 900));
	}

	/**
	 * A fresh profile at a given window size, in the given colour scheme; the page's
	 * Content Security Policy is bypassed so that a test may add a checker script (axe).
	 */
	public BrowserContext newContext(int port, int width, int height, boolean dark) {
		return browser.newContext(new NewContextOptions().setBaseURL("http://127.0.0.1:" + port)
			.setViewportSize(width, height)
			.setColorScheme(dark ? com.microsoft.playwright.options.ColorScheme.DARK
					: com.microsoft.playwright.options.ColorScheme.LIGHT)
			.setBypassCSP(true));
	}

	@Override
	public void close() {
		browser.close();
		playwright.close();
	}

}
