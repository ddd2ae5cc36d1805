package io.switchboard.channel.line;

import java.util.List;
import java.util.Optional;

import com.linecorp.bot.messaging.model.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.channel.Outbound;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaStore;

import org.springframework.stereotype.Component;

/**
 * Comics made by {@code /comic} on LINE: the finished strip arrives by push as its title
 * and the image (made to fit LINE's limits by {@link LineImages}), a failed one as a
 * notice with its reason. {@link LineRenderer} sends what this draws.
 */
@Component
@ConditionalOnLineChannel
class LineComics {

	private static final Logger log = LoggerFactory.getLogger(LineComics.class);

	private final LineImages images;

	private final MediaStore media;

	LineComics(LineImages images, MediaStore media) {
		this.images = images;
		this.media = media;
	}

	/** The messages that show a comic's outcome. */
	List<Message> messages(Outbound.Comic comic) {
		String id = comic.comic().toString();
		if (!comic.finished()) {
			return List.of(text("⚠️ Comic " + id + " could not be made: " + comic.failure()));
		}
		String title = comic.title() == null ? "" : comic.title();
		Optional<MediaRef> strip = Optional.ofNullable(comic.stripSha256()).flatMap(media::find);
		if (strip.isEmpty()) {
			log.warn("the strip of comic {} is not stored; sending its title only", id);
			return List.of(text("🖍️ “" + title + "” (comic " + id
					+ ") is finished, but its strip is missing here: open it under Comics on the web page."));
		}
		return List.of(text("🖍️ “" + title + "” — comic " + id + " is ready. It is also in your gallery under "
				+ "Comics on the web page, where every step can be edited."), images.imageMessage(strip.get()));
	}

	private static Message text(String text) {
		return LineMessages.texts(List.of(text), List.of()).getFirst();
	}

}
