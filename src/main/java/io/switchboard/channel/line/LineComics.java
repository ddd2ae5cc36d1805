package io.switchboard.channel.line;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.bot.messaging.model.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.comic.ComicFailed;
import io.switchboard.comic.ComicFinished;
import io.switchboard.comic.ComicId;
import io.switchboard.image.ImageOrigin;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaStore;

import org.springframework.stereotype.Component;

/**
 * Comics made by {@code /comic} on LINE: the finished strip arrives by push as its title
 * and the image (made to fit LINE's limits by {@link LineImages}), a failed one as a
 * notice with its reason. The comic module's events are taken into the inbox by
 * {@link LineImageUpdates} under {@code comic:<id>:finished} or
 * {@code comic:<id>:failed}, so each is pushed once, durably, like a finished image job.
 */
@Component
@ConditionalOnLineChannel
class LineComics {

	static final String EVENT_PREFIX = "comic:";

	private static final Logger log = LoggerFactory.getLogger(LineComics.class);

	private final LineImages images;

	private final MediaStore media;

	LineComics(LineImages images, MediaStore media) {
		this.images = images;
		this.media = media;
	}

	static boolean isLine(ImageOrigin origin) {
		return origin != null && LineChat.PLATFORM.equals(origin.place().platform());
	}

	static String eventId(ComicId comic, String outcome) {
		return EVENT_PREFIX + comic.value() + ":" + outcome;
	}

	/** What the inbox keeps of a finished comic: where it goes and what it shows. */
	static String payload(ComicFinished finished) {
		return base(finished.comic(), finished.origin()).put("title", finished.title())
			.put("strip", finished.strip().sha256())
			.toString();
	}

	static String payload(ComicFailed failed) {
		return base(failed.comic(), failed.origin()).put("reason", failed.reason()).toString();
	}

	private static ObjectNode base(ComicId comic, ImageOrigin origin) {
		return LineConfiguration.LINE_JSON.createObjectNode()
			.put("comic", comic.value())
			.put("chat", LineChat.of(origin.requester(), origin.place()).chatId());
	}

	/** The messages for a comic taken in by the inbox, and the chat they go to. */
	Optional<LineImages.Delivery> render(String payload) throws IOException {
		JsonNode data = LineConfiguration.LINE_JSON.readTree(payload);
		String chat = data.path("chat").asText("");
		if (chat.isEmpty()) {
			log.warn("a comic delivery without a chat: {}", payload);
			return Optional.empty();
		}
		String comic = new ComicId(data.path("comic").asLong()).toString();
		if (data.hasNonNull("reason")) {
			return Optional.of(new LineImages.Delivery(chat,
					List.of(text("⚠️ Comic " + comic + " could not be made: " + data.path("reason").asText()))));
		}
		String title = data.path("title").asText("");
		Optional<MediaRef> strip = media.find(data.path("strip").asText(""));
		if (strip.isEmpty()) {
			log.warn("the strip of comic {} is not stored; sending its title only", comic);
			return Optional.of(new LineImages.Delivery(chat, List.of(text("🖍️ “" + title + "” (comic " + comic
					+ ") is finished, but its strip is missing here: open it under Comics on the web page."))));
		}
		return Optional.of(new LineImages.Delivery(chat,
				List.of(text("🖍️ “" + title + "” — comic " + comic + " is ready. It is also in your gallery under "
						+ "Comics on the web page, where every step can be edited."),
						images.imageMessage(strip.get()))));
	}

	private static Message text(String text) {
		return LineMessages.texts(List.of(text), List.of()).getFirst();
	}

}
