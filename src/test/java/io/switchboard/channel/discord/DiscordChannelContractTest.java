package io.switchboard.channel.discord;

import io.switchboard.channel.ChannelContract;

/** The channel contract on Discord's gateway. */
class DiscordChannelContractTest extends ChannelContract {

	@Override
	protected Rig newRig() {
		return new DiscordRig();
	}

}
