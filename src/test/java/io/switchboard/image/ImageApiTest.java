package io.switchboard.image;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.fakes.Json;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.testsupport.WebSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The image REST API over real HTTP as a signed-in web user: create, read, act, list, the
 * tree, cancel, the progress stream, signed image links, and a clear 4xx JSON problem for
 * every kind of bad request.
 */
@IntegrationTest
@TestPropertySource(
		properties = { "switchboard.image.providers.demo.type=demo", "switchboard.image.providers.full.type=demo",
				"switchboard.image.providers.full.max-queued=0", "switchboard.image.demo.duration=300ms",
				"switchboard.image.banned-words=gore", "db-scheduler.polling-interval=100ms" })
class ImageApiTest {

	@LocalServerPort
	int port;

	static boolean setUp;

	WebSession ada;

	@BeforeEach
	void signIn() {
		if (!setUp) {
			WebSession first = new WebSession(port);
			first.get("/setup");
			first.postForm("/setup", Map.of("username", "ada", "displayName", "Ada", "password", "analytical-engine",
					"passwordAgain", "analytical-engine"));
			first.get("/admin/users");
			first.postForm("/admin/users",
					Map.of("username", "bob", "displayName", "Bob", "password", "builder-bob", "role", "member"));
			setUp = true;
		}
		ada = session("ada", "analytical-engine");
	}

	WebSession session(String name, String password) {
		WebSession session = new WebSession(port);
		assertThat(session.signIn(name, password)).endsWith("/");
		session.get("/");
		return session;
	}

	static JsonNode json(HttpResponse<String> response) {
		return Json.read(response.body());
	}

	JsonNode create(String body) {
		HttpResponse<String> response = ada.postJson("/api/images/jobs", body);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return json(response);
	}

	JsonNode finished(long id) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> List.of("succeeded", "failed", "cancelled")
				.contains(json(ada.get("/api/images/jobs/" + id)).path("state").asText()));
		JsonNode job = json(ada.get("/api/images/jobs/" + id));
		assertThat(job.path("state").asText()).as(job.toString()).isEqualTo("succeeded");
		return job;
	}

	void problem(HttpResponse<String> response, int status, String code, String detail) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("json");
		JsonNode problem = json(response);
		assertThat(problem.path("status").asInt()).isEqualTo(status);
		assertThat(problem.path("code").asText()).isEqualTo(code);
		assertThat(problem.path("detail").asText()).contains(detail);
	}

	@Test
	void aJobIsCreatedStreamedAndActedOnToTheEnd() {
		HttpResponse<String> created = ada.postJson("/api/images/jobs",
				"{\"prompt\":\"a lighthouse\",\"negativePrompt\":\"fog\",\"width\":128,\"height\":128,\"seed\":5,"
						+ "\"steps\":20,\"cfgScale\":7,\"sampler\":\"Euler a\"}");
		assertThat(created.statusCode()).isEqualTo(201);
		JsonNode job = json(created);
		long id = job.path("id").asLong();
		assertThat(created.headers().firstValue("Location")).hasValue("/api/images/jobs/" + id);
		assertThat(job.path("kind").asText()).isEqualTo("origin");
		assertThat(job.path("state").asText()).isEqualTo("queued");
		assertThat(job.path("provider").asText()).isEqualTo("demo");
		assertThat(job.path("demo").asBoolean()).isTrue();
		assertThat(job.path("settings").path("seed").asLong()).isEqualTo(5);
		assertThat(job.path("settings").path("sampler").asText()).isEqualTo("Euler a");
		assertThat(job.path("negativePrompt").asText()).isEqualTo("fog");

		// the progress stream: a job event per change, the last one finished, then it
		// ends
		HttpResponse<java.util.stream.Stream<String>> stream = ada.stream("/api/images/jobs/" + id + "/events");
		assertThat(stream.statusCode()).isEqualTo(200);
		assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
		List<String> lines = stream.body().collect(Collectors.toList());
		assertThat(lines).contains("event:job");
		List<JsonNode> events = lines.stream()
			.filter(line -> line.startsWith("data:"))
			.map(line -> Json.read(line.substring(5)))
			.toList();
		assertThat(events.getLast().path("state").asText()).isEqualTo("succeeded");

		JsonNode done = finished(id);
		assertThat(done.path("candidates")).hasSize(4);
		assertThat(done.path("grid").path("url").asText()).startsWith("/media/").contains("sig=");
		assertThat(done.path("actions").findValuesAsText("code")).containsExactly("U1", "U2", "U3", "U4", "V1", "V2",
				"V3", "V4", "RR");
		String url = done.path("candidates").get(0).path("url").asText();
		HttpResponse<byte[]> image = ada.getBytes(url);
		assertThat(image.statusCode()).isEqualTo(200);
		assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
		assertThat(done.path("candidates").get(0).path("publicUrl").asText())
			.startsWith("http://localhost:8080/media/");

		HttpResponse<String> upscaled = ada.postJson("/api/images/jobs/" + id + "/upscale/2", "");
		assertThat(upscaled.statusCode()).as(upscaled.body()).isEqualTo(201);
		long upscaleId = json(upscaled).path("id").asLong();
		assertThat(json(upscaled).path("parent").asLong()).isEqualTo(id);
		assertThat(json(upscaled).path("parentIndex").asInt()).isEqualTo(2);
		JsonNode upscale = finished(upscaleId);
		assertThat(upscale.path("kind").asText()).isEqualTo("upscale");
		assertThat(upscale.path("candidates")).hasSize(1);
		assertThat(upscale.path("actions").findValuesAsText("label")).containsExactly("Vary (Strong)", "Vary (Subtle)");

		long subtleId = json(ada.postJson("/api/images/jobs/" + upscaleId + "/vary-subtle", "")).path("id").asLong();
		long strongId = json(ada.postJson("/api/images/jobs/" + upscaleId + "/vary-strong", "")).path("id").asLong();
		long v3Id = json(ada.postJson("/api/images/jobs/" + id + "/vary-strong/3", "")).path("id").asLong();
		long s1Id = json(ada.postJson("/api/images/jobs/" + id + "/vary-subtle/1", "")).path("id").asLong();
		long rerollId = json(ada.postJson("/api/images/jobs/" + id + "/reroll", "")).path("id").asLong();
		HttpResponse<String> byCode = ada.postJson("/api/images/jobs/" + id + "/actions/U4", "");
		assertThat(byCode.statusCode()).isEqualTo(201);
		for (long each : new long[] { subtleId, strongId, v3Id, s1Id, rerollId, json(byCode).path("id").asLong() }) {
			finished(each);
		}
		assertThat(json(ada.get("/api/images/jobs/" + subtleId)).path("kind").asText()).isEqualTo("vary_subtle");
		assertThat(json(ada.get("/api/images/jobs/" + rerollId)).path("kind").asText()).isEqualTo("reroll");

		// the tree from any of its jobs starts at the origin
		JsonNode tree = json(ada.get("/api/images/jobs/" + subtleId + "/tree"));
		assertThat(tree.path("job").path("id").asLong()).isEqualTo(id);
		assertThat(tree.path("children")).hasSize(5);
		JsonNode upscaleNode = tree.path("children").get(0);
		assertThat(upscaleNode.path("job").path("id").asLong()).isEqualTo(upscaleId);
		assertThat(upscaleNode.path("children").findValues("job")).hasSize(2);

		JsonNode list = json(ada.get("/api/images/jobs?limit=3"));
		assertThat(list.path("jobs")).hasSize(3);
		assertThat(list.path("jobs").get(0).path("id").asLong()).isGreaterThan(id);
	}

	@Test
	void badRequestsGetAClear4xxProblemAndChangeNothing() {
		int before = json(ada.get("/api/images/jobs?limit=100")).path("jobs").size();
		problem(ada.postJson("/api/images/jobs", "{\"prompt\":\"  \"}"), 400, "invalid_request", "Write a prompt");
		problem(ada.postJson("/api/images/jobs", "{\"prompt\":\"x\",\"width\":100}"), 400, "invalid_request",
				"multiple of 8");
		problem(ada.postJson("/api/images/jobs", "{\"prompt\":\"x\",\"steps\":500}"), 400, "invalid_request", "Steps");
		problem(ada.postJson("/api/images/jobs", "{\"prompt\":\"x\",\"provider\":\"nowhere\"}"), 400,
				"unknown_provider", "no image provider called nowhere");
		problem(ada.postJson("/api/images/jobs", "{\"prompt\":\"so much gore\"}"), 422, "banned_prompt", "gore");
		problem(ada.postJson("/api/images/jobs", "{\"prompt\":"), 400, "invalid_json", "JSON object");
		problem(ada.postJson("/api/images/jobs", "{\"prompt\":\"x\",\"width\":\"wide\"}"), 400, "invalid_json",
				"wrong type");
		HttpResponse<String> full = ada.postJson("/api/images/jobs", "{\"prompt\":\"x\",\"provider\":\"full\"}");
		problem(full, 429, "queue_full", "queue of full is full");
		assertThat(full.headers().firstValue("Retry-After")).hasValue("60");
		problem(ada.get("/api/images/jobs/987654"), 404, "not_found", "#987654");
		problem(ada.get("/api/images/jobs/abc"), 400, "invalid_request", "id");
		problem(ada.get("/api/images/jobs?limit=0"), 400, "invalid_request", "limit");

		long id = create("{\"prompt\":\"a patient dog\"}").path("id").asLong();
		problem(ada.postJson("/api/images/jobs/" + id + "/upscale/1", ""), 409, "not_allowed", "not finished");
		problem(ada.postJson("/api/images/jobs/" + id + "/actions/ZZ", ""), 400, "invalid_request",
				"Unknown action ZZ");
		problem(ada.postJson("/api/images/jobs/" + id + "/upscale/5", ""), 400, "invalid_request", "1 to 4");
		finished(id);
		problem(ada.postJson("/api/images/jobs/" + id + "/vary-strong", ""), 409, "not_allowed", "V1-V4");
		assertThat(json(ada.get("/api/images/jobs?limit=100")).path("jobs")).hasSize(before + 1);
	}

	@Test
	void aJobCanBeCancelledOnceAndOnlyItsOwnerSeesIt() {
		long id = create("{\"prompt\":\"a cancelled cat\"}").path("id").asLong();
		HttpResponse<String> cancelled = ada.postJson("/api/images/jobs/" + id + "/cancel", "");
		assertThat(cancelled.statusCode()).isEqualTo(200);
		assertThat(json(cancelled).path("state").asText()).isEqualTo("cancelled");
		problem(ada.postJson("/api/images/jobs/" + id + "/cancel", ""), 409, "not_allowed", "already finished");

		WebSession bob = session("bob", "builder-bob");
		problem(bob.get("/api/images/jobs/" + id), 404, "not_found", "#" + id);
		problem(bob.postJson("/api/images/jobs/" + id + "/cancel", ""), 404, "not_found", "#" + id);
		assertThat(json(bob.get("/api/images/jobs")).path("jobs")).isEmpty();
	}

	@Test
	void withoutASignInOrACsrfTokenTheApiRefusesWithJson() {
		WebSession nobody = new WebSession(port);
		problem(nobody.get("/api/images/jobs"), 401, "unauthorized", "Sign in");
		WebSession noToken = new WebSession(port);
		noToken.signIn("ada", "analytical-engine");
		// signed in, but the page's CSRF token was never read
		HttpResponse<String> forged = noToken.postJson("/api/images/jobs", "{\"prompt\":\"x\"}");
		assertThat(forged.statusCode()).isEqualTo(403);
		JsonNode providers = Json.read(ada.get("/api/images/providers").body());
		assertThat(providers.findValuesAsText("name")).containsExactly("demo", "full");
		assertThat(providers.get(0).path("isDefault").asBoolean()).isTrue();
	}

}
