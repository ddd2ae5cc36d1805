package io.switchboard.channel.web;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.TopicSummary;

import org.springframework.stereotype.Component;

/**
 * What the chat page's summary fragment ({@code web/summary.html}) shows: the running
 * summary of a session's current topic, if it was compacted. Looked up by the fragment
 * itself, so the page's controller needs to know nothing of it.
 */
@Component("sessionSummaries")
class SessionSummaries {

	private final Conversations conversations;

	SessionSummaries(Conversations conversations) {
		this.conversations = conversations;
	}

	/** The current topic's summary, or {@code null} when it has none. */
	public TopicSummary of(Session session) {
		return session == null ? null : conversations.summary(session.id(), session.currentTopic()).orElse(null);
	}

}
