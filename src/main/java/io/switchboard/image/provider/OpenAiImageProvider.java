package io.switchboard.image.provider;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.image.ImageSettings;
import io.switchboard.image.JobKind;

/**
 * OpenAI's Images API. Four candidates come from one {@code /images/generations} call
 * where the model makes several ({@code gpt-image-1}, {@code dall-e-2}); {@code dall-e-3}
 * makes one per call, so four calls go out side by side. Variations go through
 * {@code /images/edits} (multipart): {@code gpt-image-1} keeps the image closely
 * ({@code input_fidelity high}) for a subtle variation and loosely for a strong one;
 * {@code dall-e-2} is given a mask that frees the whole image (strong) or only its middle
 * (subtle). OpenAI has no upscaler, so an upscale enlarges the candidate here. The calls
 * answer only when done, so they are sent asynchronously.
 */
public final class OpenAiImageProvider implements ImageProvider {

	static final String GPT_IMAGE = "gpt-image-1";

	static final String DALL_E_3 = "dall-e-3";

	static final String DALL_E_2 = "dall-e-2";

	private static final Map<String, Set<String>> SIZES = Map.of(GPT_IMAGE,
			Set.of("1024x1024", "1536x1024", "1024x1536"), DALL_E_3, Set.of("1024x1024", "1792x1024", "1024x1792"),
			DALL_E_2, Set.of("256x256", "512x512", "1024x1024"));

	private final String name;

	private final ProviderHttp http;

	private final String model;

	private final int upscaleFactor;

	private final InFlight inFlight;

	public OpenAiImageProvider(String name, URI baseUrl, String apiKey, String model, int upscaleFactor,
			Duration connectTimeout, ObjectMapper json) {
		this.name = name;
		this.http = new ProviderHttp(name, baseUrl, connectTimeout, json,
				apiKey == null || apiKey.isBlank() ? Map.of() : Map.of("Authorization", "Bearer " + apiKey));
		this.model = model == null || model.isBlank() ? GPT_IMAGE : model;
		this.upscaleFactor = upscaleFactor;
		this.inFlight = new InFlight(name);
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public Optional<String> problemWith(ImageSettings settings) {
		String model = model(settings);
		Set<String> sizes = SIZES.get(model);
		String size = settings.width() + "x" + settings.height();
		if (sizes != null && !sizes.contains(size)) {
			return Optional
				.of(model + " draws " + String.join(", ", sizes.stream().sorted().toList()) + ", not " + size + ".");
		}
		return Optional.empty();
	}

	@Override
	public Optional<String> problemWith(JobKind work, boolean onUpscale) {
		if ((work == JobKind.VARY_STRONG || work == JobKind.VARY_SUBTLE) && DALL_E_3.equals(model)) {
			return Optional.of("dall-e-3 cannot edit images, so it cannot vary them; an admin can configure "
					+ "gpt-image-1 or dall-e-2 for that.");
		}
		return Optional.empty();
	}

	@Override
	public ProviderUpdate submit(ProviderJob job) {
		String model = model(job.settings());
		return switch (job.work()) {
			case UPSCALE -> new ProviderUpdate.Done(List.of(Images.enlarge(job.sourceImage(), upscaleFactor)));
			case VARY_STRONG, VARY_SUBTLE -> inFlight.start(edit(job, model));
			default -> inFlight.start(generate(job, model));
		};
	}

	@Override
	public ProviderUpdate poll(ProviderJob job, String taskId) {
		return inFlight.poll(taskId)
			.map(ProviderUpdate.class::cast)
			.orElseGet(() -> new ProviderUpdate.Working(taskId, 0, true, null));
	}

	@Override
	public void cancel(ProviderJob job, String taskId) {
		inFlight.cancel(taskId);
	}

	private CompletableFuture<ProviderUpdate.Done> generate(ProviderJob job, String model) {
		boolean onePerCall = DALL_E_3.equals(model);
		int calls = onePerCall ? 4 : 1;
		List<CompletableFuture<List<byte[]>>> answers = new ArrayList<>(calls);
		for (int i = 0; i < calls; i++) {
			ObjectNode body = http.json().createObjectNode();
			body.put("model", model);
			body.put("prompt", prompt(job, null));
			body.put("n", onePerCall ? 1 : 4);
			body.put("size", job.settings().width() + "x" + job.settings().height());
			if (!model.startsWith("gpt-image")) {
				body.put("response_format", "b64_json");
			}
			answers
				.add(http.postJsonAsync("/images/generations", body, ProviderHttp.LONG_CALL).thenApply(this::images));
		}
		return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(all -> {
			List<byte[]> images = new ArrayList<>(4);
			answers.forEach(answer -> images.addAll(answer.join()));
			return new ProviderUpdate.Done(images);
		});
	}

	private CompletableFuture<ProviderUpdate.Done> edit(ProviderJob job, String model) {
		boolean subtle = job.work() == JobKind.VARY_SUBTLE;
		String editModel = DALL_E_3.equals(model) ? DALL_E_2 : model;
		byte[] source = job.sourceImage();
		BufferedImage image = Images.read(source);
		ProviderHttp.Multipart form = new ProviderHttp.Multipart().field("model", editModel)
			.field("prompt",
					prompt(job,
							subtle ? "Keep this image almost exactly as it is; change only small details."
									: "Make a loose, reimagined variation of this image."))
			.field("n", "4");
		if (editModel.startsWith("gpt-image")) {
			form.field("input_fidelity", subtle ? "high" : "low");
			form.file("image", "image.png", "image/png", source);
		}
		else {
			// dall-e-2 edits where the mask is transparent: all of it, or only the middle
			int side = Math.min(image.getWidth(), image.getHeight());
			String size = side >= 1024 ? "1024x1024" : side >= 512 ? "512x512" : "256x256";
			form.field("size", size).field("response_format", "b64_json");
			form.file("image", "image.png", "image/png", source);
			form.file("mask", "mask.png", "image/png", mask(image.getWidth(), image.getHeight(), subtle));
		}
		return http.postMultipartAsync("/images/edits", form, ProviderHttp.LONG_CALL)
			.thenApply(answer -> new ProviderUpdate.Done(images(answer)));
	}

	private List<byte[]> images(JsonNode answer) {
		List<byte[]> images = new ArrayList<>();
		for (JsonNode item : answer.path("data")) {
			if (item.path("b64_json").isTextual()) {
				images.add(Base64.getDecoder().decode(item.path("b64_json").asText()));
			}
			else if (item.path("url").isTextual()) {
				images.add(http.getBytes(item.path("url").asText()));
			}
		}
		if (images.isEmpty()) {
			throw new ImageProviderException.Refused("OpenAI answered without images.");
		}
		return images;
	}

	private String model(ImageSettings settings) {
		return (settings.model() != null ? settings.model() : model).toLowerCase(Locale.ROOT);
	}

	/** OpenAI has no negative prompt: it is said in words. */
	private static String prompt(ProviderJob job, String instruction) {
		StringBuilder prompt = new StringBuilder();
		if (instruction != null) {
			prompt.append(instruction).append(' ');
		}
		prompt.append(job.prompt());
		if (job.negativePrompt() != null) {
			prompt.append("\nAvoid: ").append(job.negativePrompt());
		}
		return prompt.toString();
	}

	private static byte[] mask(int width, int height, boolean middleOnly) {
		BufferedImage mask = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
		Graphics2D g = mask.createGraphics();
		try {
			if (middleOnly) {
				g.setColor(Color.BLACK);
				g.fillRect(0, 0, width, height);
				g.setComposite(java.awt.AlphaComposite.Clear);
				g.fillRect(width / 4, height / 4, width / 2, height / 2);
			}
			// else: left fully transparent, so everything may change
		}
		finally {
			g.dispose();
		}
		return Images.png(mask);
	}

}
