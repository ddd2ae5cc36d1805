package io.switchboard.channel.slack;

import io.switchboard.channel.ChannelContract;

/** The channel contract on Slack's Events API. */
class SlackChannelContractTest extends ChannelContract {

	@Override
	protected Rig newRig() {
		return new SlackRig();
	}

}
