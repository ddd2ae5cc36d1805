package io.switchboard.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.switchboard.channel.ChannelProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes example in {@code deploy/kubernetes} read as Kubernetes and as the
 * server would: its environment variables bind to the settings the code reads, its probes
 * ask the health groups the server exposes on the port it listens on, and the pod waits
 * for the server's graceful shutdown.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings("unchecked")
class DeploymentManifestsTest {

	private static final Path MANIFEST = Path.of("deploy/kubernetes/switchboard.yaml");

	private final Map<String, Map<String, Object>> byKind = new HashMap<>();

	private Binder applicationYml;

	@BeforeAll
	@SuppressWarnings("unchecked")
	void read() throws IOException {
		try (InputStream in = Files.newInputStream(MANIFEST)) {
			for (Object document : new Yaml().loadAll(in)) {
				Map<String, Object> resource = (Map<String, Object>) document;
				byKind.put((String) resource.get("kind"), resource);
			}
		}
		StandardEnvironment environment = new StandardEnvironment();
		new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
			.forEach(environment.getPropertySources()::addLast);
		applicationYml = Binder.get(environment);
	}

	@Test
	void holdsASecretADeploymentAndAService() {
		assertThat(byKind).containsKeys("Secret", "Deployment", "Service");
		assertThat(path(byKind.get("Service"), "spec", "selector"))
			.isEqualTo(path(byKind.get("Deployment"), "spec", "template", "metadata", "labels"));
		Map<String, Object> secret = byKind.get("Secret");
		assertThat((Map<String, Object>) path(secret, "stringData")).containsKeys("url", "username", "password");
		assertThat((String) path(secret, "stringData", "url")).startsWith("jdbc:postgresql://");
	}

	@Test
	void itsEnvironmentBindsToTheSettingsTheServerReads() {
		Map<String, Object> env = new HashMap<>();
		for (Map<String, Object> variable : env()) {
			// what Kubernetes would put there: the secret's value, the pod's name
			Object value = variable.containsKey("value") ? variable.get("value")
					: path(variable, "valueFrom", "secretKeyRef") != null
							? path(byKind.get("Secret"), "stringData",
									(String) path(variable, "valueFrom", "secretKeyRef", "key"))
							: "switchboard-7d9f-abcde";
			env.put((String) variable.get("name"), value);
		}
		StandardEnvironment environment = new StandardEnvironment();
		// in the place (and under the name) of the real environment, so Spring maps its
		// names as
		// it does in a pod
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
		ConfigurationPropertySources.attach(environment);
		Binder binder = Binder.get(environment);

		assertThat(binder.bind("spring.datasource.url", String.class).get()).startsWith("jdbc:postgresql://");
		assertThat(binder.bind("spring.datasource.username", String.class).get()).isEqualTo("switchboard");
		assertThat(binder.bind("spring.datasource.password", String.class).get()).isEqualTo("change-me");
		ChannelProperties channel = binder.bind("switchboard.channel", ChannelProperties.class).get();
		assertThat(channel.node()).isEqualTo("switchboard-7d9f-abcde");
		Duration shutdown = binder.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class).get();

		// the pod is given longer than the server takes to stop, after its pre-stop pause
		Map<String, Object> pod = podSpec();
		int grace = (Integer) pod.get("terminationGracePeriodSeconds");
		int preStop = (Integer) path(container(), "lifecycle", "preStop", "sleep", "seconds");
		assertThat(grace).isGreaterThan(preStop + (int) shutdown.toSeconds());
		assertThat(applicationYml.bind("server.shutdown", String.class).get()).isEqualTo("graceful");
	}

	@Test
	void itsProbesAskTheServersHealthGroupsOnItsPort() {
		assertThat(applicationYml.bind("management.endpoint.health.probes.enabled", Boolean.class).get()).isTrue();
		assertThat(applicationYml.bind("management.endpoints.web.exposure.include", String.class).get())
			.contains("health");
		int serverPort = applicationYml.bind("server.port", Integer.class).get();
		Map<String, Object> container = container();
		List<Map<String, Object>> ports = list(container.get("ports"));
		assertThat(ports).singleElement().satisfies(port -> {
			assertThat(port.get("containerPort")).isEqualTo(serverPort);
			assertThat(port.get("name")).isEqualTo("http");
		});
		assertThat(path(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
		assertThat(path(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
		assertThat(path(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
		for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
			assertThat(path(container, probe, "httpGet", "port")).as(probe).isEqualTo("http");
		}
		assertThat(path(byKind.get("Service"), "spec", "ports")).asList()
			.singleElement()
			.satisfies(port -> assertThat(((Map<?, ?>) port).get("targetPort")).isEqualTo("http"));
	}

	@Test
	void aRollingUpgradeNeverLeavesFewerNodesThanAsked() {
		Map<String, Object> strategy = (Map<String, Object>) path(byKind.get("Deployment"), "spec", "strategy",
				"rollingUpdate");
		assertThat(strategy).containsEntry("maxUnavailable", 0).containsEntry("maxSurge", 1);
		assertThat((Integer) path(byKind.get("Deployment"), "spec", "replicas")).isGreaterThanOrEqualTo(2);
	}

	// ------------------------------------------------------------ helpers

	private Map<String, Object> podSpec() {
		return (Map<String, Object>) path(byKind.get("Deployment"), "spec", "template", "spec");
	}

	private Map<String, Object> container() {
		return list(podSpec().get("containers")).getFirst();
	}

	private List<Map<String, Object>> env() {
		return list(container().get("env"));
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Object value) {
		return new ArrayList<>((List<Map<String, Object>>) value);
	}

	@SuppressWarnings("unchecked")
	private static Object path(Map<String, Object> from, String... keys) {
		Object at = from;
		for (String key : keys) {
			if (!(at instanceof Map<?, ?> map)) {
				return null;
			}
			at = ((Map<String, Object>) map).get(key);
		}
		return at;
	}

}
