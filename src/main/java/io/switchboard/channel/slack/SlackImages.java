package io.switchboard.channel.slack;

/** Image jobs in Slack: wired once the image engine is merged. */
final class SlackImages {

	private final SlackApi api;

	SlackImages(SlackApi api) {
		this.api = api;
	}

	void button(SlackInbound.Action action) {
		if (action.responseUrl() != null) {
			api.respond(action.responseUrl(), "Image generation is not available on this server.", null);
		}
	}

}
