package io.switchboard.channel.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.channel.InboundEventHandler;

/**
 * Does the work of the Slack requests the inbox took in, on a background worker, and
 * delivers the comics {@link SlackComicUpdates} took in. It may run twice for one request
 * (after a failure or a crash); {@link SlackStore} makes a repeat update the reply it
 * posted instead of posting another.
 */
final class SlackEvents implements InboundEventHandler {

	private final ObjectMapper json;

	private final SlackMessages messages;

	private final SlackInteractions interactions;

	private final SlackHome home;

	private final SlackImages images;

	private final SlackComics comics;

	SlackEvents(ObjectMapper json, SlackMessages messages, SlackInteractions interactions, SlackHome home,
			SlackImages images, SlackComics comics) {
		this.json = json;
		this.messages = messages;
		this.interactions = interactions;
		this.home = home;
		this.images = images;
		this.comics = comics;
	}

	@Override
	public String platform() {
		return SlackMessages.PLATFORM;
	}

	@Override
	public void handle(String eventId, String payload) throws Exception {
		if (eventId.startsWith(SlackComics.EVENT_PREFIX)) {
			// not Slack's request but ours: a comic made by /comic is finished, or failed
			comics.deliver(payload);
			return;
		}
		switch (json.readValue(payload, SlackInbound.class)) {
			case SlackInbound.Message message -> messages.handle(eventId, message);
			case SlackInbound.Command command -> interactions.command(command);
			case SlackInbound.Action action when action.actionId().startsWith(SlackBolt.IMAGE_ACTION) ->
				images.button(action);
			case SlackInbound.Action action -> interactions.commandButton(action);
			case SlackInbound.HomeOpened opened -> home.publish(opened.user());
		}
	}

}
