package io.switchboard.channel.slack;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.channel.ChannelContract;
import io.switchboard.fakes.FakeSlack;
import io.switchboard.fakes.Json;
import io.switchboard.testsupport.StandaloneApplication;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slack faked for the channel contract: signed Events API requests in, the bot's messages
 * (edited in place) out. Each user writes in their own DM, where every message is
 * answered in a thread under it.
 */
public final class SlackRig implements ChannelContract.Rig {

	private static final AtomicLong TS = new AtomicLong();

	private final FakeSlack slack = new FakeSlack();

	/** Each user's thread in their DM: their first message starts it. */
	private final Map<String, String> threads = new java.util.concurrent.ConcurrentHashMap<>();

	private record Event(String id, ObjectNode json) implements ChannelContract.PlatformEvent {
	}

	@Override
	public List<String> settings() {
		return List.of("switchboard.slack.bot-token=" + FakeSlack.BOT_TOKEN,
				"switchboard.slack.signing-secret=" + FakeSlack.SIGNING_SECRET,
				"switchboard.slack.api-url=" + slack.apiUrl(), "switchboard.slack.update-interval=300ms");
	}

	@Override
	public String newUser() {
		return "U" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
	}

	private static String dm(String user) {
		return "D" + user.substring(1);
	}

	@Override
	public ChannelContract.PlatformEvent message(String user, String text) {
		String ts = "1900000000." + String.format("%06d", TS.incrementAndGet());
		String id = "Ev" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
		String thread = threads.putIfAbsent(user, ts);
		return new Event(id, FakeSlack.message(dm(user), "im", user, text, ts, thread));
	}

	@Override
	public void deliver(ConfigurableApplicationContext server, ChannelContract.PlatformEvent event) {
		Event slackEvent = (Event) event;
		FakeSlack.Delivery delivery = slack.deliverEvent(events(server), slackEvent.id(), slackEvent.json(), null);
		assertThat(delivery.status()).as(delivery.body()).isEqualTo(200);
	}

	@Override
	public void deliverForged(ConfigurableApplicationContext server, ChannelContract.PlatformEvent event) {
		Event slackEvent = (Event) event;
		String body = Json.write(slack.eventCallback(slackEvent.id(), slackEvent.json()));
		FakeSlack.Delivery delivery = slack.deliverSigned(events(server), "application/json", body,
				Instant.now().getEpochSecond(), "not-the-signing-secret", Map.of());
		assertThat(delivery.status()).isEqualTo(401);
	}

	@Override
	public boolean press(ConfigurableApplicationContext server, String user, String label) {
		List<FakeSlack.Message> shown = slack.messages(dm(user))
			.stream()
			.filter(message -> FakeSlack.BOT_USER.equals(message.user()))
			.toList();
		for (FakeSlack.Message message : shown.reversed()) {
			if (message.blocks() == null) {
				continue; // a plain text message, no buttons
			}
			for (com.fasterxml.jackson.databind.JsonNode block : message.blocks()) {
				for (com.fasterxml.jackson.databind.JsonNode element : block.path("elements")) {
					if (label.equals(element.path("text").path("text").asText())) {
						FakeSlack.Delivery delivery = slack.deliverInteraction(events(server),
								slack.buttonPress(user, message, element.path("action_id").asText()));
						assertThat(delivery.status()).as(delivery.body()).isEqualTo(200);
						return true;
					}
				}
			}
		}
		return false;
	}

	@Override
	public List<String> answersTo(ConfigurableApplicationContext server, String user) {
		return slack.messages(dm(user))
			.stream()
			.filter(message -> FakeSlack.BOT_USER.equals(message.user()))
			.map(FakeSlack.Message::text)
			.toList();
	}

	private static URI events(ConfigurableApplicationContext server) {
		return URI.create("http://127.0.0.1:" + StandaloneApplication.port(server) + "/slack/events");
	}

	@Override
	public void close() {
		slack.close();
	}

}
