package io.switchboard.channel.web;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.FilePayload;
import io.switchboard.fakes.FakeChatServer;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.storage.Images;
import io.switchboard.testsupport.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.switchboard.channel.web.BrowserRig.ready;
import static io.switchboard.channel.web.BrowserRig.screenshotFullPage;
import static io.switchboard.channel.web.BrowserRig.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web chat in real Chromium against a fake OpenAI server: first-run setup, a streamed
 * answer, an uploaded image that reaches the model as an image part, and {@code /imagine}
 * with the grid, its buttons and the upscale shown in the chat.
 */
@IntegrationTest
class ChatPageBrowserTest {

	static final FakeOpenAi openai = FakeOpenAi.start("sk-test-key");

	@RegisterExtension
	static final BrowserRig rig = new BrowserRig(openai);

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		BrowserRig.fakeModel(registry, openai);
		registry.add("switchboard.llm.models.gpt-test.context-window", () -> "32000");
		registry.add("switchboard.llm.models.gpt-test.vision", () -> "true");
		// the demo image provider (the default with none configured), quickly
		registry.add("switchboard.image.demo.duration", () -> "400ms");
	}

	@Test
	void signInChatWithAStreamedAnswerAndAskAboutAnImage() throws Exception {
		try (BrowserContext context = rig.browser().newContext(port)) {
			Page page = context.newPage();

			// a new server asks for the first account, which becomes the admin and is
			// signed in
			page.navigate("/");
			PlaywrightAssertions.assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/setup$"));
			page.fill("input[name=username]", "ada");
			page.fill("input[name=displayName]", "Ada Lovelace");
			page.fill("input[name=password]", "analytical-engine");
			page.fill("input[name=passwordAgain]", "analytical-engine");
			page.click("button[type=submit]");
			PlaywrightAssertions.assertThat(page.locator("#composer")).isVisible();
			PlaywrightAssertions.assertThat(page.locator(".topbar .who")).hasText("Ada Lovelace");
			// the page's script is deferred: typing before it runs would not send
			ready(page);

			// a streamed answer: pieces show one by one, then the Markdown is rendered
			openai.replyInPieces("Tea ", "is ", "a ", "**brewed** ", "drink.");
			openai.pieceDelay(Duration.ofMillis(250));
			send(page, "What is tea?");
			Locator answer = page.locator(".message.assistant").last();
			PlaywrightAssertions.assertThat(page.locator(".message.assistant.streaming")).hasCount(1);
			PlaywrightAssertions.assertThat(answer.locator(".body")).containsText("Tea is");
			PlaywrightAssertions.assertThat(answer.locator(".body strong"))
				.isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(10_000));
			PlaywrightAssertions.assertThat(answer.locator(".body")).hasText("Tea is a brewed drink.");
			PlaywrightAssertions.assertThat(page.locator(".message.assistant.streaming")).hasCount(0);
			PlaywrightAssertions.assertThat(answer.locator(".meta")).containsText("gpt-test");
			PlaywrightAssertions.assertThat(page.locator(".message.user").first()).hasText("What is tea?");
			JsonNode chat = openai.lastRequestJson();
			assertThat(chat.path("model").asText()).isEqualTo("gpt-4o-mini");
			assertThat(chat.path("stream").asBoolean()).isTrue();
			PlaywrightAssertions.assertThat(page.locator("#sidebar .sessions li.current")).containsText("What is tea?");

			// an uploaded image reaches the model as an image part, next to the question
			byte[] png = Images.png(32, 24);
			openai.replyInPieces("A ", "tiny ", "red ", "dot.");
			openai.pieceDelay(Duration.ZERO);
			page.setInputFiles("#image-input", new FilePayload("dot.png", "image/png", png));
			PlaywrightAssertions.assertThat(page.locator("#image-preview img")).isVisible();
			page.fill("#message-input", "What is in this picture?");
			page.click("#send");
			PlaywrightAssertions.assertThat(page.locator(".message.assistant").last().locator(".body"))
				.hasText("A tiny red dot.");
			PlaywrightAssertions.assertThat(page.locator(".message.user").last().locator("img")).isVisible();

			JsonNode withImage = openai.lastRequestJson();
			List<FakeChatServer.Image> images = openai.images(withImage);
			assertThat(images).hasSize(1);
			assertThat(images.getFirst().mimeType()).isEqualTo("image/png");
			assertThat(images.getFirst().data()).isEqualTo(png);
			assertThat(withImage.toString()).contains("What is in this picture?").contains("What is tea?");

			// after a reload the conversation is still there, image included
			page.reload();
			ready(page);
			PlaywrightAssertions.assertThat(page.locator(".message.assistant")).hasCount(2);
			PlaywrightAssertions.assertThat(page.locator(".message.user img")).isVisible();
			screenshotFullPage(page, "chat.png");

			// /imagine in the chat: the notice follows the job, shows the grid with the
			// job's buttons, and a button starts the next job, which shows in turn
			send(page, "/imagine a red kite over the sea");
			Locator origin = page.locator(".message.notice .image-job").last();
			PlaywrightAssertions.assertThat(page.locator(".message.notice").last()).containsText("started");
			PlaywrightAssertions.assertThat(origin.locator("img"))
				.isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(20_000));
			PlaywrightAssertions.assertThat(origin).hasAttribute("data-state", "succeeded");
			assertThat(origin.locator("img").getAttribute("alt")).startsWith("four candidates");
			assertThat((Boolean) origin.locator("img").evaluate("img => img.complete && img.naturalWidth > 0"))
				.isTrue();
			PlaywrightAssertions.assertThat(origin.locator(".reply-actions button")).hasCount(9);
			origin.locator(".reply-actions button", new Locator.LocatorOptions().setHasText("U2")).click();

			PlaywrightAssertions.assertThat(page.locator(".message.notice .image-job")).hasCount(2);
			Locator upscale = page.locator(".message.notice .image-job").last();
			PlaywrightAssertions.assertThat(page.locator(".message.notice").last())
				.containsText("Upscaling candidate 2 of");
			PlaywrightAssertions.assertThat(upscale.locator("img"))
				.isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(20_000));
			assertThat(upscale.locator("img").getAttribute("alt")).startsWith("image for");
			PlaywrightAssertions.assertThat(upscale.locator(".reply-actions button"))
				.hasText(new String[] { "Vary (Strong)", "Vary (Subtle)" });
			screenshotFullPage(page, "chat-imagine.png");
		}
	}

}
