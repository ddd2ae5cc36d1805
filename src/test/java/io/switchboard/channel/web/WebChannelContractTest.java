package io.switchboard.channel.web;

import io.switchboard.channel.ChannelContract;

/** The channel contract on the chat page. */
class WebChannelContractTest extends ChannelContract {

	@Override
	protected Rig newRig() {
		return new WebRig();
	}

}
