package io.switchboard.moderation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.llm.LlmProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * Checks what people write before any model sees it, on the platforms where moderation is
 * on, through an OpenAI-compatible {@code POST /moderations} (OpenAI's own, or any server
 * that speaks it). A check is one blocking HTTP call: make it on a virtual thread,
 * outside any database transaction (it would hold SQLite's write lock for the call). A
 * check that cannot be made lets nothing through: moderation that is on but out of
 * service must not quietly become moderation that is off.
 */
@Service
public class Moderation {

	private static final Logger log = LoggerFactory.getLogger(Moderation.class);

	static final URI OPENAI = URI.create("https://api.openai.com/v1");

	private final ModerationProperties properties;

	private final ObjectMapper json;

	private final MeterRegistry meters;

	/** Where checks go; {@code null} while moderation is off everywhere. */
	private final Endpoint endpoint;

	private final HttpClient http;

	Moderation(ModerationProperties properties, LlmProperties llm, ObjectMapper json, MeterRegistry meters) {
		this.properties = properties;
		this.json = json;
		this.meters = meters;
		this.endpoint = properties.platforms().isEmpty() ? null : endpoint(properties, llm);
		this.http = HttpClient.newBuilder()
			.connectTimeout(properties.timeout())
			.executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
			.build();
	}

	/** Whether texts written on the platform are checked. */
	public boolean isOn(String platform) {
		return endpoint != null && properties.platforms().contains(platform);
	}

	/**
	 * Checks a text written on a platform; {@link Verdict.Allowed} at once where
	 * moderation is off, or for a blank text. Blocks for the call.
	 */
	public Verdict check(String platform, String text) {
		if (!isOn(platform) || text == null || text.isBlank()) {
			return new Verdict.Allowed();
		}
		Verdict verdict = ask(text);
		meters
			.counter("switchboard_moderation_checks_total", "platform", platform, "verdict",
					verdict.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT))
			.increment();
		return verdict;
	}

	private Verdict ask(String text) {
		HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.uri())
			.timeout(properties.timeout())
			.header("Content-Type", "application/json");
		endpoint.headers().forEach(request::header);
		try {
			byte[] body = json.writeValueAsBytes(Map.of("model", properties.model(), "input", text));
			HttpResponse<byte[]> response = http.send(
					request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
					HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() != 200) {
				String reason = "HTTP " + response.statusCode() + " from " + endpoint.uri() + ": "
						+ errorMessage(response.body());
				log.warn("moderation check failed: {}", reason);
				return new Verdict.Unavailable(reason);
			}
			return verdict(json.readTree(response.body()));
		}
		catch (HttpTimeoutException slow) {
			log.warn("moderation check at {} took longer than {}", endpoint.uri(), properties.timeout());
			return new Verdict.Unavailable("no answer within " + properties.timeout().toMillis() + " ms");
		}
		catch (IOException failed) {
			log.warn("moderation check at {} failed: {}", endpoint.uri(), failed.toString());
			return new Verdict.Unavailable(failed.toString());
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			return new Verdict.Unavailable("interrupted");
		}
	}

	/**
	 * The endpoint's answer: {@code results[0].flagged} and the categories that are
	 * {@code true}. A flagged answer naming no category is flagged all the same.
	 */
	private static Verdict verdict(JsonNode answer) {
		JsonNode result = answer.path("results").path(0);
		if (!result.path("flagged").isBoolean()) {
			return new Verdict.Unavailable("the answer has no results[0].flagged");
		}
		if (!result.get("flagged").asBoolean()) {
			return new Verdict.Allowed();
		}
		List<String> categories = new ArrayList<>();
		result.path("categories").properties().forEach(category -> {
			if (category.getValue().asBoolean(false)) {
				categories.add(category.getKey());
			}
		});
		return new Verdict.Flagged(categories.isEmpty() ? List.of("unspecified") : categories);
	}

	private String errorMessage(byte[] body) {
		try {
			String message = json.readTree(body).path("error").path("message").asText("");
			return message.isEmpty() ? "no error message" : message;
		}
		catch (IOException unreadable) {
			return "an unreadable answer";
		}
	}

	private static Endpoint endpoint(ModerationProperties properties, LlmProperties llm) {
		LlmProperties.Provider provider = llm.providers().get(properties.provider());
		if (provider == null) {
			throw new IllegalStateException("switchboard.moderation.provider: there is no provider called \""
					+ properties.provider() + "\" under switchboard.llm.providers; configured: "
					+ (llm.providers().isEmpty() ? "none" : String.join(", ", llm.providers().keySet())));
		}
		if (provider.type() != LlmProperties.ProviderType.OPENAI) {
			throw new IllegalStateException("switchboard.moderation.provider: \"" + properties.provider() + "\" is a "
					+ provider.type().name().toLowerCase(java.util.Locale.ROOT)
					+ " provider; moderation needs an OpenAI-compatible one (type openai)");
		}
		String base = (provider.baseUrl() == null ? OPENAI : provider.baseUrl()).toString().replaceAll("/+$", "");
		Map<String, String> headers = new java.util.LinkedHashMap<>(provider.headers());
		if (provider.apiKey() != null && !provider.apiKey().isBlank()) {
			boolean bearer = "Authorization".equalsIgnoreCase(provider.apiKeyHeader());
			headers.put(provider.apiKeyHeader(), bearer ? "Bearer " + provider.apiKey() : provider.apiKey());
		}
		return new Endpoint(URI.create(base + "/moderations"), Map.copyOf(headers));
	}

	private record Endpoint(URI uri, Map<String, String> headers) {

		@Override
		public String toString() {
			return "Endpoint[" + uri + "]"; // the headers hold the key
		}

	}

}
