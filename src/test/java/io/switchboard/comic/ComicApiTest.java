package io.switchboard.comic;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.testsupport.WebSession;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The comic REST API over real HTTP with a signed-in web session: every step from idea to
 * strip on the demo model and demo image provider (so the studio works without any key),
 * and each refusal with its status and a message for the user. Also: the per-panel
 * progress stream the panels step follows, and the studio's pages carry no inline script
 * or style (the Content Security Policy forbids them).
 */
@IntegrationTest
@TestPropertySource(properties = { "switchboard.image.demo.duration=1s", "db-scheduler.polling-interval=100ms",
		// the demo model and drawer do the work; the other providers are there for their
		// secrets, which no page, script or answer of the studio may carry
		"switchboard.llm.models.demo.provider=demo", "switchboard.llm.default-model=demo",
		"switchboard.llm.providers.openai.type=openai",
		"switchboard.llm.providers.openai.base-url=http://127.0.0.1:9/v1",
		"switchboard.llm.providers.openai.api-key=" + ComicApiTest.OPENAI_KEY,
		"switchboard.llm.models.gpt-4o.provider=openai", "switchboard.llm.providers.claude.type=anthropic",
		"switchboard.llm.providers.claude.base-url=http://127.0.0.1:9/v1",
		"switchboard.llm.providers.claude.api-key=" + ComicApiTest.ANTHROPIC_KEY,
		"switchboard.llm.models.sonnet.provider=claude", "switchboard.image.default-provider=demo",
		"switchboard.image.providers.demo.type=demo", "switchboard.image.providers.demo.poll-interval=100ms",
		"switchboard.image.providers.demo.max-poll-interval=100ms", "switchboard.image.providers.dalle.type=openai",
		"switchboard.image.providers.dalle.base-url=http://127.0.0.1:9/v1",
		"switchboard.image.providers.dalle.api-key=" + ComicApiTest.IMAGES_KEY,
		"switchboard.image.providers.sd.type=sd-webui", "switchboard.image.providers.sd.base-url=http://127.0.0.1:9",
		"switchboard.image.providers.sd.username=painter",
		"switchboard.image.providers.sd.password=" + ComicApiTest.SD_PASSWORD,
		"switchboard.image.providers.mj.type=midjourney-proxy",
		"switchboard.image.providers.mj.base-url=http://127.0.0.1:9/mj",
		"switchboard.image.providers.mj.api-key=" + ComicApiTest.MIDJOURNEY_SECRET,
		"switchboard.media.signing-key=" + ComicApiTest.SIGNING_KEY })
class ComicApiTest {

	static final String OPENAI_KEY = "sk-proj-studio0openai0key0Qx7Lm2";

	static final String ANTHROPIC_KEY = "sk-ant-api03-studio0anthropic0key0Zr4";

	static final String IMAGES_KEY = "sk-proj-studio0images0key0Hd8Vw1";

	static final String SD_PASSWORD = "studio-sd-password-Kp3";

	static final String MIDJOURNEY_SECRET = "studio-mj-api-secret-Tn6";

	static final String SIGNING_KEY = "studio-media-signing-key-Ye9";

	static final List<String> SECRETS = List.of(OPENAI_KEY, ANTHROPIC_KEY, IMAGES_KEY, SD_PASSWORD, MIDJOURNEY_SECRET,
			SIGNING_KEY);

	static final ObjectMapper JSON = new ObjectMapper();

	@LocalServerPort
	int port;

	/** The first account is made once per server, then signed in again. */
	WebSession ada() {
		WebSession session = new WebSession(port);
		if (session.get("/setup").statusCode() == 200) {
			session.postForm("/setup", Map.of("username", "ada", "displayName", "Ada", "password", "correct horse",
					"passwordAgain", "correct horse"));
		}
		else {
			assertThat(session.signIn("ada", "correct horse")).endsWith("/");
		}
		assertThat(session.get("/comics").statusCode()).isEqualTo(200);
		assertThat(session.csrf()).isNotNull();
		return session;
	}

	static JsonNode json(HttpResponse<String> response) {
		try {
			return JSON.readTree(response.body());
		}
		catch (IOException broken) {
			throw new AssertionError("not JSON: " + response.body(), broken);
		}
	}

	static JsonNode ok(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
		return json(response);
	}

	static void refused(HttpResponse<String> response, int status, String detail) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("json");
		assertThat(json(response).path("detail").asText()).contains(detail);
	}

	@Test
	void everyStepFromIdeaToStripOverRest() throws IOException {
		WebSession ada = ada();
		assertThat(json(ada.json("GET", "/api/comics/presets", null)).has("four-koma")).isTrue();

		HttpResponse<String> created = ada.json("POST", "/api/comics",
				"{\"idea\": \"a robot learns to paint\", \"preset\": \"four-koma\", \"layout\": \"grid\"}");
		assertThat(created.statusCode()).isEqualTo(201);
		JsonNode comic = json(created);
		long id = comic.path("id").asLong();
		assertThat(created.headers().firstValue("Location")).hasValue("/api/comics/" + id);
		assertThat(comic.path("stage").asText()).isEqualTo("idea");
		assertThat(comic.path("layout").asText()).isEqualTo("grid");
		assertThat(comic.path("genre").asText()).isEqualTo("gag comedy with a punchline");
		assertThat(comic.path("storyModel").asText()).isEqualTo("demo");
		assertThat(comic.path("storyModelDemo").asBoolean()).isTrue();
		String base = "/api/comics/" + id;

		comic = ok(ada.json("POST", base + "/story", null));
		assertThat(comic.path("stage").asText()).isEqualTo("story");
		assertThat(comic.path("title").asText()).startsWith("[demo] a robot learns to paint");
		assertThat(comic.path("panels")).hasSize(4);

		comic = ok(ada.json("PUT", base + "/story",
				"""
						{"title": "로봇 화가", "panels": [
						 {"scene": "A robot holds a brush.", "characters": "Robo", "dialogue": "Robo: 그림을 그려 볼까?", "caption": "첫날"},
						 {"scene": "Paint everywhere.", "characters": "Robo", "dialogue": "", "caption": "엉망진창"},
						 {"scene": "A cat walks through the paint.", "characters": "Robo, Cat", "dialogue": "Cat: 냐옹", "caption": ""},
						 {"scene": "The cat's paw prints are the art.", "characters": "Robo, Cat", "dialogue": "Robo: 걸작이다!", "caption": "끝"}]}"""));
		assertThat(comic.path("title").asText()).isEqualTo("로봇 화가");
		assertThat(comic.path("panels").get(1).path("caption").asText()).isEqualTo("엉망진창");

		comic = ok(ada.json("POST", base + "/panels/2/story", null));
		assertThat(comic.path("panels").get(1).path("scene").asText()).endsWith("(rewritten)");
		assertThat(comic.path("panels").get(0).path("dialogue").asText()).isEqualTo("Robo: 그림을 그려 볼까?");

		comic = ok(ada.json("POST", base + "/prompts", null));
		assertThat(comic.path("stage").asText()).isEqualTo("prompts");
		assertThat(comic.path("styleLine").asText()).isEqualTo("cute chibi manga, bold outlines, flat colours");
		comic = ok(ada.json("PUT", base + "/prompts",
				"""
						{"characterSheet": "Robo: small round robot, red paint on its hands", "styleLine": "chibi manga",
						 "panels": [{"prompt": "chibi robot with a brush"}, {"prompt": "paint everywhere", "negativePrompt": "text"},
						            {"prompt": "a cat walking through paint"}, {"prompt": "paw print painting on a wall"}]}"""));
		assertThat(comic.path("panels").get(2).path("prompt").asText()).isEqualTo("a cat walking through paint");

		comic = ok(ada.json("PUT", base + "/settings",
				"{\"seed\": 42, \"steps\": 20, \"cfgScale\": 7.5, \"sampler\": \"Euler a\"}"));
		assertThat(comic.path("settings").path("seed").asLong()).isEqualTo(42);
		assertThat(comic.path("settings").path("sampler").asText()).isEqualTo("Euler a");

		comic = ok(ada.json("POST", base + "/panels", null));
		assertThat(comic.path("stage").asText()).isEqualTo("panels");
		assertThat(comic.path("panels").get(0).path("job").isNumber()).isTrue();
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			JsonNode now = json(ada.json("GET", base, null));
			for (JsonNode panel : now.path("panels")) {
				if (panel.path("imageUrl").isMissingNode() || panel.path("candidates").size() != 4) {
					return false;
				}
			}
			return now.path("allPanelsDrawn").asBoolean();
		});
		comic = ok(ada.json("PUT", base + "/panels/1/choice", "{\"candidate\": 2}"));
		JsonNode first = comic.path("panels").get(0);
		assertThat(first.path("candidate").asInt()).isEqualTo(2);
		assertThat(first.path("imageUrl").asText()).isEqualTo(first.path("candidates").get(1).asText());

		comic = ok(ada.json("POST", base + "/strip", "{\"layout\": \"vertical\"}"));
		assertThat(comic.path("stage").asText()).isEqualTo("strip");
		assertThat(comic.path("layout").asText()).isEqualTo("vertical");
		String strip = comic.path("stripUrl").asText();
		assertThat(strip).matches("/media/[0-9a-f]{64}\\?exp=\\d+&sig=.+");
		HttpResponse<byte[]> png = new WebSession(port).getBytes(strip);
		assertThat(png.statusCode()).isEqualTo(200);
		assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
		assertThat(image.getWidth()).isEqualTo(2 * StripRenderer.MARGIN + 512);

		assertThat(json(ada.json("GET", "/api/comics", null)).path("comics").findValuesAsText("id"))
			.contains(Long.toString(id));
		assertThat(ada.json("DELETE", base, null).statusCode()).isEqualTo(204);
		refused(ada.json("GET", base, null), 404, "There is no comic #" + id + " of yours.");
	}

	@Test
	void refusalsHaveTheirStatusAndSayWhy() {
		refused(new WebSession(port).json("GET", "/api/comics", null), 401, "Sign in first");
		WebSession ada = ada();
		refused(ada.json("POST", "/api/comics", "{\"idea\": \"x\"}", false), 403, "CSRF token");
		refused(ada.json("POST", "/api/comics", "{\"idea\": \"  \"}"), 400, "The idea must not be empty.");
		refused(ada.json("POST", "/api/comics", "{\"idea\": "), 400, "not the JSON this step expects");
		refused(ada.json("POST", "/api/comics", "{\"idea\": \"x\", \"layout\": \"diagonal\"}"), 400,
				"vertical (four-cut) or grid (2x2)");
		refused(ada.json("POST", "/api/comics", "{\"idea\": \"x\", \"preset\": \"opera\"}"), 400,
				"There is no preset called opera");
		refused(ada.json("POST", "/api/comics", "{\"idea\": \"x\", \"model\": \"gpt-9\"}"), 400,
				"There is no model called gpt-9");
		refused(ada.json("GET", "/api/comics/987654", null), 404, "There is no comic #987654 of yours.");
		refused(ada.json("GET", "/api/comics/abc", null), 400, "is not a valid id");

		long id = ok(ada.json("POST", "/api/comics", "{\"idea\": \"a quiet lighthouse\"}")).path("id").asLong();
		String base = "/api/comics/" + id;
		refused(ada.json("POST", base + "/prompts", null), 409, "no story yet");
		refused(ada.json("POST", base + "/panels", null), 409, "no image prompts yet");
		refused(ada.json("POST", base + "/strip", null), 409, "Every panel needs its image");
		refused(ada.json("POST", base + "/panels/1/reroll", null), 409, "has not been drawn yet");
		refused(ada.json("PUT", base + "/story", "{\"title\": \"t\", \"panels\": []}"), 400, "exactly 4 panels");
		refused(ada.json("PUT", base + "/settings", "{\"steps\": 500}"), 400, "Steps go from 1 to 150");
		refused(ada.json("PUT", base + "/settings", "{\"seed\": -7}"), 400, "A seed goes from 0");
		refused(ada.json("POST", base + "/panels/7/story", null), 400, "panels 1 to 4");
		refused(ada.json("POST", base + "/panels/1/vary", "{\"candidate\": 1, \"strength\": \"wild\"}"), 400,
				"strong or subtle");
		refused(ada.json("PUT", base + "/panels/1/choice", "{}"), 400, "Say which candidate");
		JsonNode unchanged = json(ada.json("GET", base, null));
		assertThat(unchanged.path("stage").asText()).isEqualTo("idea");
		assertThat(unchanged.path("settings").path("steps").isMissingNode()).isTrue();
	}

	@Test
	void thePanelsStepStreamsEachPanelsProgressUntilItIsDrawn() throws Exception {
		WebSession ada = ada();
		long id = ok(ada.json("POST", "/api/comics", "{\"idea\": \"a kite that will not fly\"}")).path("id").asLong();
		String base = "/api/comics/" + id;
		ok(ada.json("POST", base + "/story", null));
		ok(ada.json("POST", base + "/prompts", null));

		// what the panels page's script listens to, opened before the drawing starts
		HttpResponse<Stream<String>> stream = ada.stream("/comics/" + id + "/events");
		assertThat(stream.statusCode()).isEqualTo(200);
		assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		Thread reader = Thread.ofVirtual().start(() -> {
			try (Stream<String> body = stream.body()) {
				body.forEach(lines::add);
			}
			catch (RuntimeException closed) {
				// the test closed the stream
			}
		});
		try {
			assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("event:hello");

			JsonNode comic = ok(ada.json("POST", base + "/panels", null));
			Map<Integer, Long> jobs = new HashMap<>();
			for (JsonNode panel : comic.path("panels")) {
				jobs.put(panel.path("index").asInt(), panel.path("job").asLong());
			}
			assertThat(jobs).hasSize(4).doesNotContainValue(0L);

			Map<Integer, List<JsonNode>> updates = new TreeMap<>();
			String event = null;
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (updates.size() < 4
					|| !updates.values().stream().allMatch(panel -> panel.getLast().path("finished").asBoolean())) {
				String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				assertThat(line).as("a panel event within 30 s; so far " + updates).isNotNull();
				if (line.startsWith("event:")) {
					event = line.substring("event:".length());
				}
				else if (line.startsWith("data:") && "panel".equals(event)) {
					JsonNode update = JSON.readTree(line.substring("data:".length()));
					updates.computeIfAbsent(update.path("panel").asInt(), panel -> new ArrayList<>()).add(update);
				}
			}

			assertThat(updates).containsOnlyKeys(1, 2, 3, 4);
			updates.forEach((panel, events) -> {
				assertThat(events).as("panel " + panel)
					.allSatisfy(update -> assertThat(update.path("job").asLong()).isEqualTo(jobs.get(panel)));
				List<Integer> progress = events.stream().map(update -> update.path("progress").asInt()).toList();
				assertThat(progress).as("panel " + panel + "'s progress").isSorted();
				List<Integer> states = events.stream()
					.map(update -> List.of("queued", "submitted", "running", "succeeded")
						.indexOf(update.path("state").asText()))
					.toList();
				assertThat(states).as("panel " + panel + "'s states, in the order a job goes through them")
					.doesNotContain(-1)
					.isSorted();
				assertThat(events.subList(0, events.size() - 1)).as("panel " + panel + " before its last event")
					.allSatisfy(update -> {
						assertThat(update.path("finished").asBoolean()).isFalse();
						assertThat(update.path("state").asText()).isIn("queued", "submitted", "running");
					});
				JsonNode last = events.getLast();
				assertThat(last.path("state").asText()).as("panel " + panel).isEqualTo("succeeded");
				assertThat(last.path("progress").asInt()).as("panel " + panel).isEqualTo(100);
			});
			assertThat(updates.values().stream().flatMap(List::stream)).as("progress in percent while panels are drawn")
				.anySatisfy(update -> {
					assertThat(update.path("state").asText()).isEqualTo("running");
					assertThat(update.path("progress").asInt()).isBetween(1, 99);
				});
		}
		finally {
			reader.interrupt();
			stream.body().close();
		}
	}

	@Test
	void noProviderKeyReachesAnyPageScriptOrAnswerOfTheStudio() throws Exception {
		WebSession ada = ada();
		long id = ok(ada.json("POST", "/api/comics", "{\"idea\": \"a lighthouse keeper's day off\"}")).path("id")
			.asLong();
		String base = "/api/comics/" + id;
		ok(ada.json("POST", base + "/story", null));
		ok(ada.json("POST", base + "/prompts", null));
		ok(ada.json("POST", base + "/panels", null));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> json(ada.json("GET", base, null)).path("allPanelsDrawn").asBoolean());
		ok(ada.json("POST", base + "/strip", null));

		// every page of the studio, each step of one comic, its panel cards, its JSON and
		// the start of its event stream
		Map<String, String> served = new LinkedHashMap<>();
		List<String> pages = new ArrayList<>(List.of("/comics", "/comics/" + id));
		ComicStudioController.STEPS.forEach(step -> pages.add("/comics/" + id + "?step=" + step));
		for (int panel = 1; panel <= 4; panel++) {
			pages.add("/comics/" + id + "/panels/" + panel);
		}
		// the image providers a panel may name (the panels step takes one by name)
		pages.addAll(List.of("/api/comics", base, "/api/comics/presets", "/api/images/providers"));
		for (String page : pages) {
			HttpResponse<String> response = ada.get(page);
			assertThat(response.statusCode()).as(page).isEqualTo(200);
			served.put(page, response.body());
		}
		HttpResponse<Stream<String>> events = ada.stream("/comics/" + id + "/events");
		try (Stream<String> lines = events.body()) {
			served.put("/comics/" + id + "/events", String.join("\n", lines.limit(2).toList()));
		}
		// and every script and stylesheet those pages load
		Pattern asset = Pattern.compile("(?:src|href)=\"(/[^\"]+\\.(?:js|css)(?:\\?[^\"]*)?)\"");
		List<String> assets = served.values()
			.stream()
			.flatMap(body -> asset.matcher(body).results().map(found -> found.group(1)))
			.distinct()
			.toList();
		assertThat(assets).contains("/js/comic.js", "/css/switchboard.css")
			.anySatisfy(script -> assertThat(script).startsWith("/webjars/htmx.org/"));
		for (String path : assets) {
			HttpResponse<String> response = ada.get(path);
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			served.put(path, response.body());
		}

		// the keyed providers are really configured: their models and drawers are offered
		assertThat(served.get("/comics/" + id + "?step=idea")).contains("gpt-4o").contains("sonnet");
		assertThat(served.get("/api/images/providers")).contains("dalle").contains("\"sd\"").contains("mj");
		served.forEach((path, body) -> {
			for (String secret : SECRETS) {
				assertThat(body).as(path + " carries a secret").doesNotContain(secret);
			}
		});
	}

	@Test
	void theStudioPagesHaveNoInlineScriptOrStyle() {
		WebSession ada = ada();
		long id = ok(ada.json("POST", "/api/comics", "{\"idea\": \"a snail's marathon\"}")).path("id").asLong();
		ok(ada.json("POST", "/api/comics/" + id + "/story", null));
		Pattern inlineScript = Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
		Pattern inlineStyle = Pattern.compile("<style|\\sstyle=\"|\\son[a-z]+=\"", Pattern.CASE_INSENSITIVE);
		for (String page : new String[] { "/comics", "/comics/" + id + "?step=idea", "/comics/" + id + "?step=story",
				"/comics/" + id + "?step=prompts", "/comics/" + id + "?step=panels",
				"/comics/" + id + "?step=strip" }) {
			HttpResponse<String> response = ada.get(page);
			assertThat(response.statusCode()).as(page).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Security-Policy").orElse(""))
				.contains("script-src 'self'");
			Matcher script = inlineScript.matcher(response.body());
			assertThat(script.find()).as(page + " has an inline script").isFalse();
			assertThat(inlineStyle.matcher(response.body()).find()).as(page + " has inline style or handlers")
				.isFalse();
		}
		assertThat(ada.get("/comics").body()).contains("a snail").contains("id=\"nav-comics\"");
		assertThat(ada.get("/comics/" + id + "?step=story").body()).contains("[demo] a snail");
	}

}
