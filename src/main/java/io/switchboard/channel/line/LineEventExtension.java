package io.switchboard.channel.line;

import java.util.List;

import io.switchboard.assistant.Reply;
import io.switchboard.conversation.User;

/**
 * A part of the LINE channel that takes its own inbox events and postbacks (image
 * generation: job updates and the U/V buttons).
 */
interface LineEventExtension {

	/** Whether an inbox event is this part's own (its ids carry the part's prefix). */
	boolean handles(String eventId);

	void handle(String eventId, String payload);

	/** Whether postback data is this part's own. */
	boolean handlesPostback(String data);

	/** Handles a button press; the answer goes back by the event's reply token. */
	Answer postback(User user, LineChat chat, String data);

	record Answer(List<String> texts, List<Reply.Action> actions) {
	}

}
