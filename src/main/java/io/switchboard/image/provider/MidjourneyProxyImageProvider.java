package io.switchboard.image.provider;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.image.JobKind;

/**
 * Midjourney through a midjourney-proxy server ({@code http://host:port/mj}).
 * {@code submit/imagine} starts an origin; {@code submit/change} does U1-U4, V1-V4 and
 * reroll on a grid's task; Vary (Strong) and Vary (Subtle) of an upscale press the
 * upscale's {@code high_variation} / {@code low_variation} button through
 * {@code submit/action}. Tasks are polled with {@code task/{id}/fetch}; when a notify
 * hook is given the proxy calls back on every change and the engine looks at once. A
 * finished grid is split into its four quadrants.
 */
public final class MidjourneyProxyImageProvider implements ImageProvider {

	private final String name;

	private final ProviderHttp http;

	private final URI notifyHook;

	public MidjourneyProxyImageProvider(String name, URI baseUrl, String apiSecret, URI notifyHook,
			Duration connectTimeout, ObjectMapper json) {
		this.name = name;
		Map<String, String> headers = new LinkedHashMap<>();
		if (apiSecret != null && !apiSecret.isBlank()) {
			headers.put("mj-api-secret", apiSecret);
		}
		this.http = new ProviderHttp(name, baseUrl, connectTimeout, json, headers);
		this.notifyHook = notifyHook;
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public Optional<String> problemWith(JobKind work, boolean onUpscale) {
		if (work == JobKind.VARY_SUBTLE && !onUpscale) {
			return Optional.of("Midjourney varies a grid's candidate only strongly (V1-V4). Upscale it first, "
					+ "then use Vary (Subtle).");
		}
		return Optional.empty();
	}

	@Override
	public ProviderUpdate submit(ProviderJob job) {
		ObjectNode body = http.json().createObjectNode();
		String path;
		if (job.kind() == JobKind.ORIGIN) {
			path = "/submit/imagine";
			body.put("prompt", prompt(job));
		}
		else {
			ProviderJob.Parent parent = job.parent();
			if (parent == null || parent.taskId() == null) {
				throw new ImageProviderException.Refused(
						"Midjourney no longer knows the image this was made from, so it cannot act on it.");
			}
			if (job.onUpscale()) {
				String wanted = job.work() == JobKind.VARY_STRONG ? "high_variation" : "low_variation";
				String customId = button(parent.providerState(), wanted)
					.orElseThrow(() -> new ImageProviderException.Refused("This midjourney-proxy offers no "
							+ (job.work() == JobKind.VARY_STRONG ? "Vary (Strong)" : "Vary (Subtle)")
							+ " on upscaled images; it needs a version with /submit/action."));
				path = "/submit/action";
				body.put("taskId", parent.taskId());
				body.put("customId", customId);
			}
			else {
				path = "/submit/change";
				body.put("taskId", parent.taskId());
				switch (job.kind()) {
					case UPSCALE -> {
						body.put("action", "UPSCALE");
						body.put("index", job.index());
					}
					case VARY_STRONG -> {
						body.put("action", "VARIATION");
						body.put("index", job.index());
					}
					case REROLL -> body.put("action", "REROLL");
					default -> throw new ImageProviderException.Refused(
							"Midjourney cannot do " + job.kind().name().toLowerCase(Locale.ROOT) + " here.");
				}
			}
		}
		if (notifyHook != null) {
			body.put("notifyHook", notifyHook.toString());
		}
		body.put("state", Long.toString(job.id()));
		JsonNode answer = http.postJson(path, body);
		int code = answer.path("code").asInt(-1);
		String description = answer.path("description").asText("");
		return switch (code) {
			case 1, 21, 22 -> {
				String taskId = answer.path("result").asText(null);
				if (taskId == null || taskId.isBlank()) {
					throw new ImageProviderException.Retriable("Midjourney accepted the job without a task id.");
				}
				yield new ProviderUpdate.Working(taskId, 0);
			}
			case 23 -> throw new ImageProviderException.Retriable(
					"Midjourney's queue is full (" + description + "); it will be tried again.");
			case 24 -> throw new ImageProviderException.Refused("Midjourney refused the prompt: " + banned(answer));
			default -> throw new ImageProviderException.Refused(
					"Midjourney refused the job (code " + code + "): " + description);
		};
	}

	@Override
	public ProviderUpdate poll(ProviderJob job, String taskId) {
		JsonNode task;
		try {
			task = http.getJson("/task/" + taskId + "/fetch");
		}
		catch (ImageProviderException.Refused notFound) {
			throw new ImageProviderException.Lost("midjourney-proxy does not know task " + taskId);
		}
		if (task == null || task.isNull() || task.isMissingNode() || task.path("id").isMissingNode()) {
			throw new ImageProviderException.Lost("midjourney-proxy does not know task " + taskId);
		}
		String status = task.path("status").asText("");
		return switch (status) {
			case "SUCCESS" -> done(job, task, taskId);
			case "FAILURE" -> throw new ImageProviderException.Refused(
					"Midjourney failed: " + task.path("failReason").asText("no reason given"));
			case "IN_PROGRESS" -> new ProviderUpdate.Working(taskId, Math.min(99, percent(task)), true, null);
			default -> new ProviderUpdate.Working(taskId, 0);
		};
	}

	private ProviderUpdate.Done done(ProviderJob job, JsonNode task, String taskId) {
		String url = task.path("imageUrl").asText("");
		if (url.isBlank()) {
			throw new ImageProviderException.Refused("Midjourney finished without an image.");
		}
		byte[] image = http.getBytes(url);
		List<byte[]> images = job.work() == JobKind.UPSCALE ? List.of(image) : Images.quadrants(image);
		JsonNode buttons = task.path("buttons");
		return new ProviderUpdate.Done(images, taskId, buttons.isArray() ? buttons.toString() : null);
	}

	/**
	 * The task id in a notify-hook body, so the engine can look at that task at once. The
	 * body is not trusted otherwise: the task is fetched from the proxy as usual.
	 */
	public static Optional<String> taskIdOf(JsonNode hookBody) {
		String id = hookBody == null ? "" : hookBody.path("id").asText("");
		return id.isBlank() ? Optional.empty() : Optional.of(id);
	}

	private String prompt(ProviderJob job) {
		StringBuilder prompt = new StringBuilder(job.prompt().replace("\n", " "));
		if (job.negativePrompt() != null) {
			prompt.append(" --no ").append(job.negativePrompt().replace("\n", " "));
		}
		Integer width = job.settings().width();
		Integer height = job.settings().height();
		if (width != null && height != null && !width.equals(height)) {
			int gcd = gcd(width, height);
			prompt.append(" --ar ").append(width / gcd).append(':').append(height / gcd);
		}
		if (job.settings().seed() != null) {
			prompt.append(" --seed ").append(job.settings().seed());
		}
		return prompt.toString();
	}

	private Optional<String> button(String providerState, String wanted) {
		if (providerState == null) {
			return Optional.empty();
		}
		try {
			for (JsonNode button : http.json().readTree(providerState)) {
				String customId = button.path("customId").asText("");
				if (customId.contains("::" + wanted + "::")) {
					return Optional.of(customId);
				}
			}
		}
		catch (java.io.IOException broken) {
			return Optional.empty();
		}
		return Optional.empty();
	}

	private static String banned(JsonNode answer) {
		JsonNode word = answer.path("properties").path("bannedWord");
		String description = answer.path("description").asText("banned prompt");
		return word.isTextual() ? description + " (\"" + word.asText() + "\")" : description;
	}

	private static int percent(JsonNode task) {
		String progress = task.path("progress").asText("0").replace("%", "").strip();
		try {
			return (int) Math.round(Double.parseDouble(progress));
		}
		catch (NumberFormatException unreadable) {
			return 0;
		}
	}

	private static int gcd(int a, int b) {
		return b == 0 ? a : gcd(b, a % b);
	}

}
