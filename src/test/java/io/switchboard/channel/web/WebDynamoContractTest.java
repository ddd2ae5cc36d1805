package io.switchboard.channel.web;

import io.switchboard.channel.DynamoChannelContract;

/** The channel contract on the chat page with the chat path on DynamoDB. */
class WebDynamoContractTest extends DynamoChannelContract {

	@Override
	protected Rig newChannelRig() {
		return new WebRig();
	}

}
