package io.switchboard.channel.serverless;

import java.util.Map;

import io.switchboard.fakes.FakeSsm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Settings named in {@code switchboard.secrets.ssm-parameters} come from SSM Parameter
 * Store (decrypted), win over other sources, and a missing or misnamed one stops the
 * start with its name, never its value.
 */
class SsmSecretsTest {

	private final FakeSsm ssm = FakeSsm.start();

	@BeforeAll
	static void credentials() {
		System.setProperty("aws.accessKeyId", "switchboard-test");
		System.setProperty("aws.secretAccessKey", "switchboard-test");
	}

	@AfterEach
	void close() {
		ssm.close();
	}

	private StandardEnvironment environment(String spec) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("test",
					Map.of(SsmSecrets.PARAMETERS, spec, SsmSecrets.ENDPOINT, ssm.uri().toString(), SsmSecrets.REGION,
							"ap-northeast-1", "switchboard.line.channel-secret", "from-the-environment")));
		return environment;
	}

	@Test
	void namedSettingsComeFromSsmDecryptedAndWin() {
		ssm.secure("/sb/line-secret", "ssm-secret").secure("/sb/openai-key", "sk-ssm");
		StandardEnvironment environment = environment(
				"switchboard.line.channel-secret=/sb/line-secret, switchboard.llm.providers.openai.api-key=/sb/openai-key");

		new SsmSecrets().postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("switchboard.line.channel-secret")).isEqualTo("ssm-secret");
		assertThat(environment.getProperty("switchboard.llm.providers.openai.api-key")).isEqualTo("sk-ssm");
		assertThat(ssm.requests()).singleElement()
			.satisfies(request -> assertThat(request.json().path("WithDecryption").asBoolean()).isTrue());
	}

	@Test
	void aMissingParameterStopsTheStartWithItsName() {
		ssm.secure("/sb/line-secret", "ssm-secret");
		StandardEnvironment environment = environment(
				"switchboard.line.channel-secret=/sb/line-secret,switchboard.line.channel-access-token=/sb/missing-token");

		assertThatThrownBy(() -> new SsmSecrets().postProcessEnvironment(environment, new SpringApplication()))
			.hasMessageContaining("/sb/missing-token")
			.hasMessageNotContaining("ssm-secret");
		assertThat(environment.getProperty("switchboard.line.channel-secret")).isEqualTo("from-the-environment");
	}

	@Test
	void aMalformedListIsRefusedBeforeAnyCall() {
		assertThatThrownBy(() -> new SsmSecrets().postProcessEnvironment(environment("switchboard.line.channel-secret"),
				new SpringApplication()))
			.hasMessageContaining("switchboard.secrets.ssm-parameters")
			.hasMessageContaining("setting=/parameter/name");
		assertThat(ssm.requests()).isEmpty();
	}

	@Test
	void moreThanTenParametersAreReadTenAtATime() {
		StringBuilder spec = new StringBuilder();
		for (int i = 0; i < 12; i++) {
			ssm.secure("/sb/p" + i, "v" + i);
			spec.append("switchboard.test.p").append(i).append("=/sb/p").append(i).append(',');
		}
		StandardEnvironment environment = environment(spec.toString());

		new SsmSecrets().postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("switchboard.test.p11")).isEqualTo("v11");
		assertThat(ssm.reads()).isEqualTo(2);
	}

}
