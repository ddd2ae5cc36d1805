package io.switchboard.channel.line;

import io.switchboard.channel.ChannelContract;

/** The channel contract on LINE, on SQLite. */
class LineChannelContractTest extends ChannelContract {

	@Override
	protected Rig newRig() {
		return new LineRig();
	}

}
