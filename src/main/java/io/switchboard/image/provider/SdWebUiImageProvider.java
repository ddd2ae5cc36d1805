package io.switchboard.image.provider;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.image.JobKind;

/**
 * AUTOMATIC1111's Stable Diffusion WebUI (started with {@code --api}), mapped onto the
 * Midjourney flow: origin is {@code txt2img} with a batch of four, vary subtle and strong
 * are {@code img2img} of the chosen image at low and high denoising strength, upscale is
 * {@code extra-single-image}. Its calls answer only when the drawing is done, so they are
 * sent asynchronously and progress is read from {@code /sdapi/v1/progress} meanwhile.
 */
public final class SdWebUiImageProvider implements ImageProvider {

	private final String name;

	private final ProviderHttp http;

	private final String model;

	private final double subtle;

	private final double strong;

	private final int upscaleFactor;

	private final String upscaler;

	private final InFlight inFlight;

	public SdWebUiImageProvider(String name, URI baseUrl, String username, String password, String model,
			double subtleStrength, double strongStrength, int upscaleFactor, String upscaler, Duration connectTimeout,
			ObjectMapper json) {
		this.name = name;
		Map<String, String> headers = new LinkedHashMap<>();
		if (username != null && !username.isBlank()) {
			headers.put("Authorization", ProviderHttp.basic(username, password));
		}
		this.http = new ProviderHttp(name, baseUrl, connectTimeout, json, headers);
		this.model = model;
		this.subtle = subtleStrength;
		this.strong = strongStrength;
		this.upscaleFactor = upscaleFactor;
		this.upscaler = upscaler;
		this.inFlight = new InFlight(name);
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public ProviderUpdate submit(ProviderJob job) {
		ObjectMapper json = http.json();
		if (job.work() == JobKind.UPSCALE) {
			ObjectNode body = json.createObjectNode();
			body.put("image", Base64.getEncoder().encodeToString(job.sourceImage()));
			body.put("resize_mode", 0);
			body.put("upscaling_resize", upscaleFactor);
			body.put("upscaler_1", upscaler);
			return inFlight.start(http.postJsonAsync("/sdapi/v1/extra-single-image", body, ProviderHttp.LONG_CALL)
				.thenApply(answer -> new ProviderUpdate.Done(List.of(image(answer.path("image"))))));
		}
		ObjectNode body = json.createObjectNode();
		body.put("prompt", job.prompt());
		if (job.negativePrompt() != null) {
			body.put("negative_prompt", job.negativePrompt());
		}
		body.put("seed", job.settings().seed() == null ? -1 : job.settings().seed());
		if (job.settings().steps() != null) {
			body.put("steps", job.settings().steps());
		}
		if (job.settings().cfgScale() != null) {
			body.put("cfg_scale", job.settings().cfgScale());
		}
		if (job.settings().sampler() != null) {
			body.put("sampler_name", job.settings().sampler());
		}
		if (job.settings().width() != null) {
			body.put("width", job.settings().width());
		}
		if (job.settings().height() != null) {
			body.put("height", job.settings().height());
		}
		body.put("batch_size", 4);
		body.put("n_iter", 1);
		body.put("send_images", true);
		body.put("save_images", false);
		String checkpoint = job.settings().model() != null ? job.settings().model() : model;
		if (checkpoint != null && !checkpoint.isBlank()) {
			body.putObject("override_settings").put("sd_model_checkpoint", checkpoint);
		}
		String path = "/sdapi/v1/txt2img";
		if (job.work() == JobKind.VARY_STRONG || job.work() == JobKind.VARY_SUBTLE) {
			path = "/sdapi/v1/img2img";
			body.putArray("init_images").add(Base64.getEncoder().encodeToString(job.sourceImage()));
			body.put("denoising_strength", job.work() == JobKind.VARY_STRONG ? strong : subtle);
		}
		return inFlight.start(http.postJsonAsync(path, body, ProviderHttp.LONG_CALL).thenApply(answer -> {
			List<byte[]> images = new ArrayList<>();
			for (JsonNode image : answer.path("images")) {
				images.add(image(image));
			}
			return new ProviderUpdate.Done(images);
		}));
	}

	@Override
	public ProviderUpdate poll(ProviderJob job, String taskId) {
		Optional<ProviderUpdate.Done> done = inFlight.poll(taskId);
		if (done.isPresent()) {
			return done.get();
		}
		int percent;
		try {
			JsonNode progress = http.getJson("/sdapi/v1/progress?skip_current_image=true");
			percent = (int) Math.round(progress.path("progress").asDouble(0) * 100);
		}
		catch (ImageProviderException unknown) {
			percent = 0; // progress is a nicety: the drawing goes on without it
		}
		return new ProviderUpdate.Working(taskId, Math.min(99, percent), true, null);
	}

	@Override
	public void cancel(ProviderJob job, String taskId) {
		if (inFlight.cancel(taskId)) {
			// the WebUI draws one thing at a time and goes on after the caller is gone:
			// stop it, so the next job in the queue does not wait for a drawing nobody
			// wants (a WebUI shared with people outside Switchboard would be stopped too)
			try {
				http.postJson("/sdapi/v1/interrupt", Map.of());
			}
			catch (RuntimeException notStopped) {
				// it finishes on its own; the job is cancelled either way
			}
		}
	}

	private byte[] image(JsonNode base64) {
		if (!base64.isTextual() || base64.asText().isBlank()) {
			throw new ImageProviderException.Refused("The image provider " + name + " answered without an image.");
		}
		String text = base64.asText();
		int comma = text.startsWith("data:") ? text.indexOf(',') : -1;
		try {
			return Base64.getDecoder().decode(comma < 0 ? text : text.substring(comma + 1));
		}
		catch (IllegalArgumentException broken) {
			throw new ImageProviderException.Refused("The image provider " + name + " sent a damaged image.", broken);
		}
	}

}
