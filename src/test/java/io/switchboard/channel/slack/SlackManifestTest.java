package io.switchboard.channel.slack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app manifests in {@code docs/} ask Slack for what the channel uses: the events it
 * handles, the scopes its calls need, its slash commands, the Home tab and interactivity.
 */
class SlackManifestTest {

	static final List<String> EVENTS = List.of("app_home_opened", "app_mention", "message.channels", "message.groups",
			"message.im", "message.mpim");

	static final List<String> SCOPES = List.of("app_mentions:read", "channels:history", "groups:history", "im:history",
			"mpim:history", "chat:write", "chat:write.public", "commands", "files:read", "files:write", "users:read");

	@SuppressWarnings("unchecked")
	static Map<String, Object> load(String file) throws IOException {
		return new Yaml().load(Files.readString(Path.of("docs", file)));
	}

	@SuppressWarnings("unchecked")
	static <T> T at(Map<String, Object> map, String... path) {
		Object value = map;
		for (String key : path) {
			value = ((Map<String, Object>) value).get(key);
		}
		return (T) value;
	}

	@Test
	void theEventsApiManifestPointsEverythingAtTheEventsPath() throws IOException {
		Map<String, Object> manifest = load("slack-app-manifest.yml");
		common(manifest);
		assertThat((Boolean) at(manifest, "settings", "socket_mode_enabled")).isFalse();
		assertThat((String) at(manifest, "settings", "event_subscriptions", "request_url")).endsWith("/slack/events");
		assertThat((String) at(manifest, "settings", "interactivity", "request_url")).endsWith("/slack/events");
		List<Map<String, Object>> commands = at(manifest, "features", "slash_commands");
		assertThat(commands).allSatisfy(command -> assertThat((String) command.get("url")).endsWith("/slack/events"));
	}

	@Test
	void theSocketModeManifestNeedsNoUrl() throws IOException {
		Map<String, Object> manifest = load("slack-app-manifest-socket-mode.yml");
		common(manifest);
		assertThat((Boolean) at(manifest, "settings", "socket_mode_enabled")).isTrue();
		assertThat(Files.readString(Path.of("docs", "slack-app-manifest-socket-mode.yml"))).doesNotContain("url:");
	}

	private static void common(Map<String, Object> manifest) {
		assertThat((List<String>) at(manifest, "settings", "event_subscriptions", "bot_events"))
			.containsExactlyInAnyOrderElementsOf(EVENTS);
		assertThat((List<String>) at(manifest, "oauth_config", "scopes", "bot"))
			.containsExactlyInAnyOrderElementsOf(SCOPES);
		List<Map<String, Object>> commands = at(manifest, "features", "slash_commands");
		assertThat(commands).extracting(command -> command.get("command")).containsExactly("/switchboard", "/imagine");
		assertThat((Boolean) at(manifest, "features", "app_home", "home_tab_enabled")).isTrue();
		assertThat((Boolean) at(manifest, "features", "app_home", "messages_tab_enabled")).isTrue();
		assertThat((Boolean) at(manifest, "settings", "interactivity", "is_enabled")).isTrue();
	}

}
