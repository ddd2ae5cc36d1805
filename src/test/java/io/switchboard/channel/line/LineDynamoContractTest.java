package io.switchboard.channel.line;

import io.switchboard.channel.DynamoChannelContract;

/** The channel contract on LINE with the chat path on DynamoDB. */
class LineDynamoContractTest extends DynamoChannelContract {

	@Override
	protected Rig newChannelRig() {
		return new LineRig();
	}

}
