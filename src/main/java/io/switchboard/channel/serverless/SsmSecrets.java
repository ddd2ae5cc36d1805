package io.switchboard.channel.serverless;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.SsmClientBuilder;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Settings read from AWS Systems Manager Parameter Store (SecureString, decrypted), so
 * that the LINE channel's secret and token and the model keys are never in plaintext
 * environment variables: {@code switchboard.secrets.ssm-parameters} (environment variable
 * {@code SWITCHBOARD_SECRETS_SSM_PARAMETERS}) names them as
 * {@code setting=/parameter/name} pairs separated by commas, e.g.
 * {@code switchboard.line.channel-secret=/switchboard/line-channel-secret}. They are read
 * once per process (per Lambda container; with SnapStart, once per snapshot), before the
 * application starts, and win over every other source. A parameter that is missing stops
 * the start with its name; a value is never logged.
 */
public class SsmSecrets implements EnvironmentPostProcessor, Ordered {

	static final String PARAMETERS = "switchboard.secrets.ssm-parameters";

	static final String ENDPOINT = "switchboard.secrets.ssm-endpoint";

	static final String REGION = "switchboard.secrets.region";

	/** GetParameters takes at most ten names a call. */
	private static final int PER_CALL = 10;

	/** What was read, by what was asked: once per process. */
	private static final Map<String, Map<String, Object>> READ = new ConcurrentHashMap<>();

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String spec = environment.getProperty(PARAMETERS);
		if (spec == null || spec.isBlank()) {
			return;
		}
		Map<String, String> wanted = parse(spec);
		String endpoint = environment.getProperty(ENDPOINT);
		String region = environment.getProperty(REGION, environment.getProperty("AWS_REGION", "us-east-1"));
		Map<String, Object> values = READ.computeIfAbsent(endpoint + "|" + region + "|" + spec,
				key -> read(wanted, endpoint, region));
		environment.getPropertySources().addFirst(new MapPropertySource("ssm-parameters", values));
	}

	/** {@code setting=/name, ...} in order; a malformed pair stops the start. */
	static Map<String, String> parse(String spec) {
		Map<String, String> wanted = new LinkedHashMap<>();
		for (String pair : spec.split(",")) {
			if (pair.isBlank()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String setting = equals < 0 ? "" : pair.substring(0, equals).strip();
			String name = equals < 0 ? "" : pair.substring(equals + 1).strip();
			if (setting.isEmpty() || name.isEmpty()) {
				throw new IllegalStateException(PARAMETERS + ": '" + pair.strip()
						+ "' is not setting=/parameter/name (e.g. switchboard.line.channel-secret=/switchboard/line-channel-secret)");
			}
			wanted.put(setting, name);
		}
		return wanted;
	}

	private static Map<String, Object> read(Map<String, String> wanted, String endpoint, String region) {
		SsmClientBuilder builder = SsmClient.builder()
			.region(Region.of(region))
			.httpClientBuilder(UrlConnectionHttpClient.builder());
		if (endpoint != null && !endpoint.isBlank()) {
			builder.endpointOverride(URI.create(endpoint));
		}
		Map<String, String> byName = new LinkedHashMap<>();
		try (SsmClient ssm = builder.build()) {
			List<String> names = List.copyOf(new java.util.LinkedHashSet<>(wanted.values()));
			for (int from = 0; from < names.size(); from += PER_CALL) {
				List<String> batch = names.subList(from, Math.min(names.size(), from + PER_CALL));
				GetParametersResponse response = ssm
					.getParameters(request -> request.names(batch).withDecryption(true));
				if (!response.invalidParameters().isEmpty()) {
					throw new IllegalStateException(PARAMETERS + ": no such parameter in SSM Parameter Store (" + region
							+ "): " + String.join(", ", response.invalidParameters()));
				}
				for (Parameter parameter : response.parameters()) {
					byName.put(parameter.name(), parameter.value());
				}
			}
		}
		Map<String, Object> values = new LinkedHashMap<>();
		List<String> missing = new ArrayList<>();
		wanted.forEach((setting, name) -> {
			String value = byName.get(name);
			if (value == null) {
				missing.add(name);
			}
			else {
				values.put(setting, value);
			}
		});
		if (!missing.isEmpty()) {
			throw new IllegalStateException(PARAMETERS + ": SSM did not return " + String.join(", ", missing));
		}
		return Map.copyOf(values);
	}

	/** Before the other post-processors, which may read what is set here. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 20;
	}

}
