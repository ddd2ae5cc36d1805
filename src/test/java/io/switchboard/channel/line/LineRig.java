package io.switchboard.channel.line;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.channel.ChannelContract;
import io.switchboard.fakes.FakeLine;
import io.switchboard.testsupport.StandaloneApplication;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The LINE platform faked for the channel contract: signed webhooks in, replies out. */
public final class LineRig implements ChannelContract.Rig {

	private final FakeLine line = FakeLine.start("contract-secret", "contract-token");

	private record Event(ObjectNode json) implements ChannelContract.PlatformEvent {
	}

	@Override
	public List<String> settings() {
		return List.of("switchboard.line.channel-secret=" + line.channelSecret(),
				"switchboard.line.channel-access-token=" + line.accessToken(),
				"switchboard.line.api-base-url=" + line.uri(), "switchboard.line.data-api-base-url=" + line.uri(),
				"switchboard.media.public-base-url=https://bot.example.com");
	}

	@Override
	public String newUser() {
		return "U" + UUID.randomUUID().toString().replace("-", "");
	}

	@Override
	public ChannelContract.PlatformEvent message(String user, String text) {
		return new Event(line.text(FakeLine.user(user), text));
	}

	@Override
	public void deliver(ConfigurableApplicationContext server, ChannelContract.PlatformEvent event) {
		HttpResponse<String> response = line.deliver(webhook(server), FakeLine.body(((Event) event).json()));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	@Override
	public void deliverForged(ConfigurableApplicationContext server, ChannelContract.PlatformEvent event) {
		String body = FakeLine.body(((Event) event).json());
		HttpResponse<String> response = line.post(webhook(server), body,
				FakeLine.start("someone-elses-secret", "x").sign(body.getBytes()));
		assertThat(response.statusCode()).isEqualTo(401);
	}

	@Override
	public boolean press(ConfigurableApplicationContext server, String user, String label) {
		List<FakeLine.Sent> sent = line.sentTo(user);
		for (FakeLine.Sent one : sent.reversed()) {
			for (com.fasterxml.jackson.databind.JsonNode item : one.messages()
				.get(one.messages().size() - 1)
				.path("quickReply")
				.path("items")) {
				if (label.equals(item.path("action").path("label").asText())) {
					deliver(server,
							new Event(line.postback(FakeLine.user(user), item.path("action").path("data").asText())));
					return true;
				}
			}
		}
		return false;
	}

	@Override
	public List<String> answersTo(ConfigurableApplicationContext server, String user) {
		return line.sentTo(user).stream().flatMap(sent -> sent.texts().stream()).toList();
	}

	private static URI webhook(ConfigurableApplicationContext server) {
		return URI.create("http://127.0.0.1:" + StandaloneApplication.port(server) + "/line/webhook");
	}

	@Override
	public void close() {
		line.close();
	}

}
