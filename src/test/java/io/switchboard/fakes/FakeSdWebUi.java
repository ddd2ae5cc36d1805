package io.switchboard.fakes;

import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A fake of AUTOMATIC1111's Stable Diffusion WebUI API ({@code --api}) in its real wire
 * format: {@code POST /sdapi/v1/txt2img} and {@code /img2img} answer
 * {@code {images:[base64 PNG], parameters, info:"<JSON string>"}} after the drawing time,
 * img2img without {@code init_images} answers 404;
 * {@code POST /sdapi/v1/extra-single-image} answers {@code {image, html_info}};
 * {@code GET /sdapi/v1/progress} reports how far the current drawing is. With credentials
 * ({@code --api-auth}) every call needs HTTP Basic auth and answers 401 without it.
 */
public final class FakeSdWebUi extends FakeHttpServer {

	private final String authorization;

	private volatile Duration drawTime = Duration.ZERO;

	private final java.util.concurrent.atomic.AtomicInteger interrupts = new java.util.concurrent.atomic.AtomicInteger();

	private final AtomicLong busySince = new AtomicLong();

	private final AtomicInteger drawings = new AtomicInteger();

	private FakeSdWebUi(String username, String password) {
		this.authorization = username == null ? null
				: "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes());
	}

	public static FakeSdWebUi start() {
		return new FakeSdWebUi(null, null);
	}

	/** A fake started with {@code --api-auth user:password}. */
	public static FakeSdWebUi start(String username, String password) {
		return new FakeSdWebUi(username, password);
	}

	/** How long each drawing takes before its answer. */
	public FakeSdWebUi drawTime(Duration drawTime) {
		this.drawTime = drawTime;
		return this;
	}

	/** Drawings answered so far. */
	/** How many times {@code /sdapi/v1/interrupt} was called. */
	public int interrupts() {
		return interrupts.get();
	}

	public int drawings() {
		return drawings.get();
	}

	@Override
	protected Reply answer(RecordedRequest request) {
		if (authorization != null && !authorization.equals(request.header("Authorization"))) {
			return Reply.json(401, "{\"detail\":\"Not authenticated\"}").withHeader("WWW-Authenticate", "Basic");
		}
		return switch (request.method() + " " + request.path()) {
			case "POST /sdapi/v1/txt2img" -> draw(request.json(), false);
			case "POST /sdapi/v1/img2img" -> draw(request.json(), true);
			case "POST /sdapi/v1/extra-single-image" -> upscale(request.json());
			case "GET /sdapi/v1/progress" -> progress();
			case "POST /sdapi/v1/interrupt" -> {
				interrupts.incrementAndGet();
				busySince.set(0);
				yield Reply.json(200, "{}");
			}
			default -> Reply.json(404, "{\"detail\":\"Not Found\"}");
		};
	}

	private Reply draw(JsonNode body, boolean img2img) {
		if (img2img && (!body.path("init_images").isArray() || body.path("init_images").isEmpty())) {
			return Reply.json(404, "{\"detail\":\"Init image not found\"}");
		}
		int width = body.path("width").asInt(512);
		int height = body.path("height").asInt(512);
		long seed = body.path("seed").asLong(-1);
		if (seed < 0) {
			seed = 1234;
		}
		if (img2img) {
			// the colour follows the source image and the strength, so tests can tell
			seed += Math.round(body.path("denoising_strength").asDouble(0.75) * 100) + 1000;
		}
		int batch = Math.max(1, body.path("batch_size").asInt(1)) * Math.max(1, body.path("n_iter").asInt(1));
		ObjectNode answer = Json.object();
		ArrayNode images = answer.putArray("images");
		ArrayNode seeds = Json.array();
		for (int i = 0; i < batch; i++) {
			images.add(FakePictures.base64(FakePictures.png(width, height, seed + i)));
			seeds.add(seed + i);
		}
		answer.set("parameters", body);
		ObjectNode info = Json.object();
		info.put("seed", seed);
		info.set("all_seeds", seeds);
		info.put("width", width);
		info.put("height", height);
		answer.put("info", Json.write(info));
		return slow(Json.write(answer));
	}

	private Reply upscale(JsonNode body) {
		if (!body.path("image").isTextual()) {
			return Reply.json(422, "{\"detail\":[{\"loc\":[\"body\",\"image\"],\"msg\":\"field required\"}]}");
		}
		int factor = (int) Math.round(body.path("upscaling_resize").asDouble(2));
		byte[] source = Base64.getDecoder().decode(body.path("image").asText());
		ObjectNode answer = Json.object();
		answer.put("image", FakePictures.base64(FakePictures.enlarge(source, factor)));
		answer.put("html_info", "<p>upscaled x" + factor + " with " + body.path("upscaler_1").asText() + "</p>");
		return slow(Json.write(answer));
	}

	private Reply slow(String json) {
		busySince.set(System.nanoTime());
		drawings.incrementAndGet();
		return Reply.json(200, json).withFirstByteDelay(drawTime);
	}

	private Reply progress() {
		long since = busySince.get();
		double done = 0;
		if (since != 0 && !drawTime.isZero()) {
			done = Math.min(0.99, (System.nanoTime() - since) / (double) drawTime.toNanos());
		}
		ObjectNode answer = Json.object();
		answer.put("progress", done);
		answer.put("eta_relative", drawTime.toMillis() / 1000.0 * (1 - done));
		ObjectNode state = answer.putObject("state");
		state.put("job_count", done > 0 && done < 0.99 ? 1 : 0);
		state.put("sampling_step", (int) (done * 20));
		state.put("sampling_steps", 20);
		answer.putNull("current_image");
		answer.putNull("textinfo");
		return Reply.json(200, Json.write(answer));
	}

}
