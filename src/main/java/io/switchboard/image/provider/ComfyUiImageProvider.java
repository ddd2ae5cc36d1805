package io.switchboard.image.provider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.image.JobKind;

/**
 * ComfyUI, driven by workflow templates: an API-format workflow (JSON) per kind of work,
 * {@code origin.json}, {@code vary.json} and {@code upscale.json}, whose values may hold
 * placeholders: {@code {{prompt}}}, {@code {{negative_prompt}}}, {@code {{seed}}},
 * {@code {{width}}}, {@code {{height}}}, {@code {{steps}}}, {@code {{cfg}}},
 * {@code {{sampler}}}, {@code {{denoise}}}, {@code {{batch_size}}}, {@code {{model}}},
 * {@code {{init_image}}} and {@code {{upscale_factor}}}. A value that is exactly one
 * placeholder takes the value's type (a number stays a number); placeholders inside
 * longer text are replaced as text. The filled workflow goes to {@code POST /prompt};
 * {@code GET /history/{id}} says when it is done and {@code GET /view} gives the images.
 * The image to vary or upscale is uploaded first with {@code POST /upload/image}.
 * Progress in percent comes from ComfyUI's websocket ({@link ComfyUiProgress}).
 */
public final class ComfyUiImageProvider implements ImageProvider {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");

	private final String name;

	private final ProviderHttp http;

	private final String model;

	private final double subtle;

	private final double strong;

	private final int upscaleFactor;

	private final Map<String, JsonNode> templates;

	private final String clientId = UUID.randomUUID().toString();

	private final ComfyUiProgress progress;

	/**
	 * @param websocketUrl where ComfyUI reports progress, {@code null} for
	 * {@code ws://<base-url>/ws}
	 */
	public ComfyUiImageProvider(String name, URI baseUrl, URI websocketUrl, String model, double subtleStrength,
			double strongStrength, int upscaleFactor, Path workflows, Duration connectTimeout, ObjectMapper json) {
		this.name = name;
		this.progress = new ComfyUiProgress(ComfyUiProgress.websocketOf(baseUrl, websocketUrl, clientId), json,
				connectTimeout);
		this.http = new ProviderHttp(name, baseUrl, connectTimeout, json, Map.of());
		this.model = model;
		this.subtle = subtleStrength;
		this.strong = strongStrength;
		this.upscaleFactor = upscaleFactor;
		this.templates = Map.of("origin", template(json, workflows, "origin"), "vary",
				template(json, workflows, "vary"), "upscale", template(json, workflows, "upscale"));
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public ProviderUpdate submit(ProviderJob job) {
		String template = switch (job.work()) {
			case UPSCALE -> "upscale";
			case VARY_STRONG, VARY_SUBTLE -> "vary";
			default -> "origin";
		};
		Map<String, Object> values = new java.util.HashMap<>();
		values.put("prompt", job.prompt());
		values.put("negative_prompt", job.negativePrompt() == null ? "" : job.negativePrompt());
		values.put("seed", job.settings().seed() == null ? 0L : job.settings().seed());
		values.put("width", job.settings().width() == null ? 512 : job.settings().width());
		values.put("height", job.settings().height() == null ? 512 : job.settings().height());
		values.put("steps", job.settings().steps() == null ? 20 : job.settings().steps());
		values.put("cfg", job.settings().cfgScale() == null ? 7.0 : job.settings().cfgScale());
		values.put("sampler", job.settings().sampler() == null ? "euler" : job.settings().sampler());
		values.put("model", job.settings().model() != null ? job.settings().model()
				: model != null ? model : "v1-5-pruned-emaonly.safetensors");
		values.put("batch_size", 4);
		values.put("denoise", job.work() == JobKind.VARY_STRONG ? strong : subtle);
		values.put("upscale_factor", upscaleFactor);
		if (job.work() != JobKind.ORIGIN) {
			values.put("init_image", upload(job));
		}
		// listening before queueing, so the first steps' progress is not missed
		progress.listen();
		ObjectNode body = http.json().createObjectNode();
		body.set("prompt", fill(templates.get(template), values));
		body.put("client_id", clientId);
		JsonNode answer = http.postJson("/prompt", body);
		JsonNode errors = answer.path("node_errors");
		if (errors.isObject() && !errors.isEmpty()) {
			throw new ImageProviderException.Refused("ComfyUI refused the workflow: " + errors);
		}
		String promptId = answer.path("prompt_id").asText("");
		if (promptId.isBlank()) {
			throw new ImageProviderException.Retriable("ComfyUI accepted the workflow without a prompt id.");
		}
		return new ProviderUpdate.Working(promptId, 0);
	}

	@Override
	public ProviderUpdate poll(ProviderJob job, String taskId) {
		JsonNode history = http.getJson("/history/" + taskId).path(taskId);
		if (history.isMissingNode() || history.isNull()) {
			progress.listen();
			boolean running = running(taskId);
			return new ProviderUpdate.Working(taskId, running ? progress.percentOf(taskId) : 0, running, null);
		}
		progress.forget(taskId);
		JsonNode status = history.path("status");
		if ("error".equals(status.path("status_str").asText())) {
			throw new ImageProviderException.Refused("ComfyUI could not run the workflow: " + errorOf(status));
		}
		List<byte[]> images = new ArrayList<>();
		Iterator<Map.Entry<String, JsonNode>> outputs = history.path("outputs").fields();
		while (outputs.hasNext()) {
			for (JsonNode image : outputs.next().getValue().path("images")) {
				if (!"output".equals(image.path("type").asText("output"))) {
					continue; // previews and temporary files are not results
				}
				images.add(http.getBytes("/view?filename=" + encode(image.path("filename").asText()) + "&subfolder="
						+ encode(image.path("subfolder").asText("")) + "&type="
						+ encode(image.path("type").asText("output"))));
			}
		}
		if (images.isEmpty()) {
			if (status.path("completed").asBoolean(false)) {
				throw new ImageProviderException.Refused("ComfyUI finished the workflow without saving an image.");
			}
			return new ProviderUpdate.Working(taskId, 0, true, null);
		}
		return new ProviderUpdate.Done(images, taskId, null);
	}

	@Override
	public void cancel(ProviderJob job, String taskId) {
		try {
			if (running(taskId)) {
				// a running prompt is not in the queue any more: stop it (ComfyUI since
				// 0.3 stops only the prompt named; older ones stop whatever runs, which
				// is it)
				ObjectNode body = http.json().createObjectNode();
				body.put("prompt_id", taskId);
				http.postJson("/interrupt", body);
			}
			else {
				ObjectNode body = http.json().createObjectNode();
				body.putArray("delete").add(taskId);
				http.postJson("/queue", body);
			}
		}
		catch (RuntimeException ignored) {
			// best effort: the job is cancelled here either way
		}
		finally {
			// a cancelled job is not polled again, so its last percentage goes here
			progress.forget(taskId);
		}
	}

	@Override
	public void close() {
		progress.close();
	}

	/** Whether ComfyUI is running the prompt now (rather than still queueing it). */
	private boolean running(String promptId) {
		try {
			for (JsonNode entry : http.getJson("/queue").path("queue_running")) {
				if (entry.isArray() && entry.size() > 1 && promptId.equals(entry.get(1).asText())) {
					return true;
				}
			}
		}
		catch (ImageProviderException unknown) {
			// the queue is a nicety
		}
		return false;
	}

	private String upload(ProviderJob job) {
		ProviderHttp.Multipart form = new ProviderHttp.Multipart()
			.file("image", "switchboard-" + job.id() + ".png", "image/png", job.sourceImage())
			.field("overwrite", "true");
		JsonNode answer = ProviderHttp.join(http.postMultipartAsync("/upload/image", form, ProviderHttp.SHORT_CALL));
		String uploaded = answer.path("name").asText("");
		if (uploaded.isBlank()) {
			throw new ImageProviderException.Retriable("ComfyUI did not take the image to work on.");
		}
		String subfolder = answer.path("subfolder").asText("");
		return subfolder.isBlank() ? uploaded : subfolder + "/" + uploaded;
	}

	/** A copy of the template with its placeholders filled. */
	static JsonNode fill(JsonNode node, Map<String, Object> values) {
		if (node.isTextual()) {
			String text = node.asText();
			Matcher whole = PLACEHOLDER.matcher(text);
			if (whole.matches() && values.containsKey(whole.group(1))) {
				return typed(values.get(whole.group(1)));
			}
			Matcher parts = PLACEHOLDER.matcher(text);
			StringBuilder filled = new StringBuilder();
			while (parts.find()) {
				Object value = values.get(parts.group(1));
				parts.appendReplacement(filled,
						Matcher.quoteReplacement(value == null ? parts.group() : value.toString()));
			}
			parts.appendTail(filled);
			return JsonNodeFactory.instance.textNode(filled.toString());
		}
		if (node.isObject()) {
			ObjectNode copy = JsonNodeFactory.instance.objectNode();
			node.fields().forEachRemaining(field -> copy.set(field.getKey(), fill(field.getValue(), values)));
			return copy;
		}
		if (node.isArray()) {
			ArrayNode copy = JsonNodeFactory.instance.arrayNode();
			node.forEach(item -> copy.add(fill(item, values)));
			return copy;
		}
		return node;
	}

	private static JsonNode typed(Object value) {
		return switch (value) {
			case Integer i -> JsonNodeFactory.instance.numberNode(i);
			case Long l -> JsonNodeFactory.instance.numberNode(l);
			case Double d -> JsonNodeFactory.instance.numberNode(d);
			default -> JsonNodeFactory.instance.textNode(String.valueOf(value));
		};
	}

	private static JsonNode template(ObjectMapper json, Path folder, String name) {
		try {
			if (folder != null) {
				Path file = folder.resolve(name + ".json");
				if (!Files.isReadable(file)) {
					throw new IllegalArgumentException("the ComfyUI workflow " + file + " cannot be read");
				}
				return json.readTree(file.toFile());
			}
			try (InputStream in = ComfyUiImageProvider.class.getResourceAsStream("/image/comfyui/" + name + ".json")) {
				if (in == null) {
					throw new IllegalStateException("the built-in ComfyUI workflow " + name + ".json is missing");
				}
				return json.readTree(in);
			}
		}
		catch (IOException broken) {
			throw new UncheckedIOException("the ComfyUI workflow " + name + ".json is not valid JSON", broken);
		}
	}

	private static String errorOf(JsonNode status) {
		for (JsonNode message : status.path("messages")) {
			if (message.isArray() && message.size() > 1 && "execution_error".equals(message.get(0).asText())) {
				return message.get(1).path("exception_message").asText("unknown error");
			}
		}
		return "unknown error";
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
