package io.switchboard.channel.discord;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.switchboard.channel.ChannelContract;
import io.switchboard.fakes.FakeDiscord;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Discord faked for the channel contract: people write to the bot in their DMs over the
 * gateway; the bot's replies (edited as they stream) are read back from the fake.
 * Discord's trust rests on the gateway connection the bot opened with its token, not on a
 * signature per event: the "forged" event is a message written by another application's
 * bot, which must be neither answered nor stored.
 */
final class DiscordRig implements ChannelContract.Rig {

	private static final AtomicInteger PEOPLE = new AtomicInteger();

	private final FakeDiscord discord = FakeDiscord.start();

	private final Map<String, FakeDiscord.User> people = new ConcurrentHashMap<>();

	private final Map<String, List<FakeDiscord.Interaction>> pressed = new ConcurrentHashMap<>();

	/**
	 * A message written once; delivering it again replays it, as a resumed gateway does.
	 */
	private static final class Event implements ChannelContract.PlatformEvent {

		final FakeDiscord.User author;

		final String text;

		volatile FakeDiscord.FakeMessage sent;

		Event(FakeDiscord.User author, String text) {
			this.author = author;
			this.text = text;
		}

	}

	@Override
	public List<String> settings() {
		return List.of("switchboard.discord.token=" + FakeDiscord.TOKEN,
				"switchboard.discord.rest-base-url=" + discord.restBaseUrl(),
				"switchboard.discord.gateway-url=" + discord.gatewayUrl(),
				"switchboard.discord.command-guilds=" + FakeDiscord.GUILD_ID, "switchboard.discord.edit-interval=200ms",
				"switchboard.discord.lease-ttl=3s", "switchboard.discord.lease-renew-interval=1s",
				// the contract's people expect answers from their first message;
				// Discord's own
				// start (disabled until turned on) is PlatformDefaultsTest's
				"switchboard.conversation.platforms.discord.initial-state=new",
				"switchboard.conversation.platforms.discord.attach-new-sessions=true");
	}

	@Override
	public String newUser() {
		FakeDiscord.User person = discord.user("person" + PEOPLE.incrementAndGet());
		people.put(Long.toString(person.id()), person);
		return Long.toString(person.id());
	}

	@Override
	public ChannelContract.PlatformEvent message(String user, String text) {
		return new Event(people.get(user), text);
	}

	@Override
	public void deliver(ConfigurableApplicationContext server, ChannelContract.PlatformEvent event) {
		discord.awaitReady(Duration.ofSeconds(30));
		Event message = (Event) event;
		synchronized (message) {
			if (message.sent == null) {
				message.sent = discord.sayInDm(message.author, message.text);
				return;
			}
		}
		discord.redeliver(message.sent);
	}

	@Override
	public void deliverForged(ConfigurableApplicationContext server, ChannelContract.PlatformEvent event) {
		discord.awaitReady(Duration.ofSeconds(30));
		Event message = (Event) event;
		FakeDiscord.User impostor = discord.otherBot("impostor" + PEOPLE.incrementAndGet());
		discord.say(impostor, FakeDiscord.CHANNEL_ID, message.text);
	}

	@Override
	public boolean press(ConfigurableApplicationContext server, String user, String label) {
		FakeDiscord.User person = people.get(user);
		for (FakeDiscord.FakeMessage message : discord.botMessagesIn(person.dmChannelId()).reversed()) {
			for (List<FakeDiscord.Component> row : message.rows()) {
				for (FakeDiscord.Component button : row) {
					if (label.equals(button.label())) {
						pressed.computeIfAbsent(user, key -> new java.util.concurrent.CopyOnWriteArrayList<>())
							.add(discord.click(person, message, button.customId()));
						return true;
					}
				}
			}
		}
		return false;
	}

	/**
	 * The bot's messages in the person's DM, then what it answered to their button
	 * presses there (answered through the interaction).
	 */
	@Override
	public List<String> answersTo(ConfigurableApplicationContext server, String user) {
		List<String> answers = new java.util.ArrayList<>(discord.botMessagesIn(people.get(user).dmChannelId())
			.stream()
			.map(FakeDiscord.FakeMessage::content)
			.toList());
		for (FakeDiscord.Interaction press : pressed.getOrDefault(user, List.of())) {
			if (press.acknowledged()) {
				try {
					FakeDiscord.FakeMessage original = press.original();
					if (!original.loading()) {
						answers.add(original.content());
					}
				}
				catch (IllegalStateException notYet) {
					// no response yet
				}
				press.followups().forEach(followup -> answers.add(followup.content()));
			}
		}
		return answers;
	}

	@Override
	public void close() {
		discord.close();
	}

}
