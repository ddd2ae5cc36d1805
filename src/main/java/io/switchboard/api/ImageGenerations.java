package io.switchboard.api;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.servlet.http.HttpServletResponse;

import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.image.Candidate;
import io.switchboard.image.ImageJob;
import io.switchboard.image.ImageJobException;
import io.switchboard.image.ImageJobs;
import io.switchboard.image.ImageOrigin;
import io.switchboard.image.ImageRequest;
import io.switchboard.image.ImageSettings;
import io.switchboard.image.JobState;
import io.switchboard.media.MediaLinks;
import io.switchboard.media.MediaStore;

import org.springframework.stereotype.Component;

/**
 * {@code POST /v1/images/generations} in OpenAI's format, on the image engine: the prompt
 * becomes an origin job (four candidates), the request waits for it (on its virtual
 * thread) and answers with the first {@code n} candidates as base64 or as signed links.
 * The job is the key owner's, so it shows in their image history too.
 */
@Component
class ImageGenerations {

	private static final Pattern SIZE = Pattern.compile("(\\d{2,4})x(\\d{2,4})");

	private static final int MAX_CANDIDATES = 4;

	private final ImageJobs jobs;

	private final MediaStore media;

	private final MediaLinks links;

	private final KeyLimits limits;

	private final CallRecorder recorder;

	private final ObjectMapper mapper;

	private final Clock clock;

	private final Duration timeout;

	ImageGenerations(ImageJobs jobs, MediaStore media, MediaLinks links, KeyLimits limits, CallRecorder recorder,
			ObjectMapper mapper, ApiProperties properties, Clock clock) {
		this.jobs = jobs;
		this.media = media;
		this.links = links;
		this.limits = limits;
		this.recorder = recorder;
		this.mapper = mapper;
		this.clock = clock;
		this.timeout = properties.imageTimeout();
	}

	void generate(ApiCaller caller, byte[] body, HttpServletResponse response) throws IOException {
		JsonNode request;
		try {
			request = mapper.readTree(body);
		}
		catch (IOException malformed) {
			throw ChatCompletionRequest.malformed();
		}
		if (request == null || !request.isObject()) {
			throw ChatCompletionRequest.malformed();
		}
		JsonNode promptNode = request.path("prompt");
		if (!promptNode.isTextual() || promptNode.asText().isBlank()) {
			throw OpenAiError.invalid("Missing required parameter: 'prompt'.", "prompt", "missing_required_parameter");
		}
		int n = 1;
		if (request.has("n") && !request.get("n").isNull()) {
			if (!request.get("n").canConvertToInt() || request.get("n").asInt() < 1
					|| request.get("n").asInt() > MAX_CANDIDATES) {
				throw OpenAiError.invalid("Invalid 'n': this server draws 1 to " + MAX_CANDIDATES + " images.", "n",
						"invalid_value");
			}
			n = request.get("n").asInt();
		}
		String format = request.path("response_format").asText("url");
		if (!format.equals("url") && !format.equals("b64_json")) {
			throw OpenAiError.invalid("Invalid 'response_format': expected 'url' or 'b64_json'.", "response_format",
					"invalid_value");
		}
		Integer width = null;
		Integer height = null;
		String size = request.path("size").asText("auto");
		if (!size.equals("auto")) {
			Matcher matcher = SIZE.matcher(size);
			if (!matcher.matches()) {
				throw OpenAiError.invalid("Invalid 'size': expected e.g. '1024x1024'.", "size", "invalid_value");
			}
			width = Integer.parseInt(matcher.group(1));
			height = Integer.parseInt(matcher.group(2));
		}
		// "model" names a configured image provider, optionally with the provider's own
		// model after a slash ("openai/dall-e-3", "sd/sdxl-base"); absent: the default
		// one
		String provider = null;
		String providerModel = null;
		JsonNode modelNode = request.path("model");
		if (!modelNode.isMissingNode() && !modelNode.isNull()) {
			if (!modelNode.isTextual()) {
				throw OpenAiError.invalid("Invalid 'model': expected a string.", "model", "invalid_type");
			}
			String model = modelNode.asText().strip();
			int slash = model.indexOf('/');
			provider = slash < 0 ? model : model.substring(0, slash);
			providerModel = slash < 0 || slash == model.length() - 1 ? null : model.substring(slash + 1);
			if (provider.isEmpty()) {
				provider = null;
			}
		}
		limits.acquire(caller.key());
		long started = System.nanoTime();
		ImageOrigin origin = new ImageOrigin(new PlatformUserId("api", "key-" + caller.key().id()),
				new Place("api", PlaceKind.API, null, null));
		ImageJob job;
		try {
			job = jobs.imagine(caller.owner().id(), new ImageRequest(promptNode.asText(), null,
					new ImageSettings(provider, providerModel, width, height, null, null, null, null)), origin);
		}
		catch (ImageJobException.Rejected rejected) {
			throw switch (rejected.reason()) {
				case BANNED -> OpenAiError.invalid(rejected.getMessage(), "prompt", "content_policy_violation");
				case UNKNOWN_PROVIDER ->
					new OpenAiError(404, rejected.getMessage(), "invalid_request_error", "model", "model_not_found", 0);
				case QUEUE_FULL ->
					new OpenAiError(429, rejected.getMessage(), "requests", null, "rate_limit_exceeded", 10);
				default -> OpenAiError.invalid(rejected.getMessage(), null, "invalid_value");
			};
		}
		ImageJob done = jobs.await(job.id(), timeout);
		if (done.state() != JobState.SUCCEEDED) {
			OpenAiError error;
			if (!done.state().finished()) {
				try {
					jobs.cancel(caller.owner().id(), done.id());
				}
				catch (ImageJobException finishedMeanwhile) {
					// it finished as we gave up: the answer is a timeout all the same
				}
				error = new OpenAiError(504, "The image was not ready within " + timeout.toSeconds() + " s.",
						"server_error", null, "timeout", 0);
			}
			else {
				error = new OpenAiError(502, "The image could not be made: " + done.failureReason(), "server_error",
						null, "image_generation_failed", 0);
			}
			record(caller, done, error.status(), started);
			throw error;
		}
		ObjectNode answer = mapper.createObjectNode().put("created", clock.instant().getEpochSecond());
		ArrayNode data = answer.putArray("data");
		List<Candidate> candidates = done.candidates();
		for (Candidate candidate : candidates.subList(0, Math.min(n, candidates.size()))) {
			ObjectNode image = data.addObject();
			if (format.equals("b64_json")) {
				byte[] bytes = media.load(candidate.image().sha256()).orElseThrow().bytes();
				image.put("b64_json", Base64.getEncoder().encodeToString(bytes));
			}
			else {
				image.put("url", links.publicUrl(candidate.image().sha256()).toString());
			}
			image.put("revised_prompt", done.prompt());
		}
		byte[] bytes = mapper.writeValueAsBytes(answer);
		response.setStatus(200);
		response.setContentType("application/json");
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
		record(caller, done, 200, started);
	}

	private void record(ApiCaller caller, ImageJob job, int status, long started) {
		long latency = (System.nanoTime() - started) / 1_000_000;
		recorder.record(new ApiCall(caller.key().id(), caller.owner().id().value(), "images", "image/" + job.provider(),
				0, 0, 0, (int) Math.min(Integer.MAX_VALUE, latency), 0, status, false, clock.millis()));
	}

}
