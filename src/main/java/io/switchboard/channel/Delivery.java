package io.switchboard.channel;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import io.switchboard.assistant.Reply;

/**
 * What a delivery row holds (as JSON in {@code channel_deliveries.content}): small, and
 * read again at each send, so that an answer or an image job is shown as it stands then.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = Delivery.Answer.class, name = "answer"),
		@JsonSubTypes.Type(value = Delivery.Notices.class, name = "notices"),
		@JsonSubTypes.Type(value = Delivery.Image.class, name = "image"),
		@JsonSubTypes.Type(value = Delivery.Comic.class, name = "comic") })
sealed interface Delivery {

	/** The de-duplication key: one delivery per answer, event, job or comic. */
	String key();

	/** The answer held by an assistant message (or the reason there is none). */
	record Answer(long answer) implements Delivery {

		@Override
		public String key() {
			return "answer:" + answer;
		}

	}

	/**
	 * Replies to one platform event.
	 *
	 * @param event the event's key
	 * @param answerFollows whether the event's answer comes after these replies (what was
	 * heard in a voice message, before its answer); rows written before this existed read
	 * as {@code false}
	 */
	record Notices(String event, List<Reply> replies, boolean answerFollows) implements Delivery {

		public Notices {
			replies = List.copyOf(replies);
		}

		Notices(String event, List<Reply> replies) {
			this(event, replies, false);
		}

		@Override
		public String key() {
			return "event:" + event;
		}

	}

	/** An image job's message, kept up to date as the job changes. */
	record Image(long job, long owner) implements Delivery {

		@Override
		public String key() {
			return "image:" + job;
		}

	}

	/** A comic's outcome. */
	record Comic(long comic, String requester, String title, String strip, String failure) implements Delivery {

		@Override
		public String key() {
			return "comic:" + comic;
		}

	}

}
