package io.switchboard.assistant;

import java.util.List;

import io.switchboard.conversation.Exchange;
import io.switchboard.conversation.User;
import io.switchboard.llm.ModelSpec;

/** What the assistant made of a message when it arrived. */
public sealed interface Received {

	/** The sender, as the assistant knows them. */
	User user();

	/**
	 * Done on the spot: a command, a message another module took (image mode), a message
	 * refused before anything was stored (empty, too long, a session the sender may not
	 * use), or one not answered at all (a paused user).
	 *
	 * @param replies what to tell the sender, in order; empty when nothing
	 */
	record Replied(User user, List<Reply> replies) implements Received {

		public Replied {
			replies = List.copyOf(replies);
		}

	}

	/**
	 * A chat message, stored with the assistant message that will hold its answer. When
	 * that is {@link io.switchboard.conversation.AnswerState#PENDING}, a turn must ask
	 * {@code model} ({@link Assistant#answer}); a question refused on arrival (e.g. an
	 * image for a model that cannot read images) is settled already.
	 */
	record Asked(User user, Exchange exchange, ModelSpec model) implements Received {
	}

}
