package io.switchboard.channel.line;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.imageio.ImageIO;

import com.linecorp.bot.messaging.model.FlexBox;
import com.linecorp.bot.messaging.model.FlexBubble;
import com.linecorp.bot.messaging.model.FlexButton;
import com.linecorp.bot.messaging.model.FlexComponent;
import com.linecorp.bot.messaging.model.FlexMessage;
import com.linecorp.bot.messaging.model.FlexText;
import com.linecorp.bot.messaging.model.ImageMessage;
import com.linecorp.bot.messaging.model.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.assistant.Reply;
import io.switchboard.image.ImageAction;
import io.switchboard.image.ImageJob;
import io.switchboard.media.Media;
import io.switchboard.media.MediaLinks;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaStore;

import org.springframework.stereotype.Component;

/**
 * Image jobs on LINE, as Midjourney's flow goes: a finished job arrives as the 2x2 grid
 * with buttons U1-U4, V1-V4 and reroll, an upscale with Vary (Strong) and Vary (Subtle),
 * a failed one with its reason. Each button posts the shared {@code /image #id code}
 * command back, which starts the next job. {@link LineRenderer} sends what this draws.
 */
@Component
@ConditionalOnLineChannel
class LineImages {

	/**
	 * What buttons posted before they sent the shared command:
	 * {@code image:<job>:<code>}.
	 */
	static final String OLD_POSTBACK_PREFIX = "image:";

	/** LINE's largest image message (original) and preview. */
	static final long MAX_ORIGINAL = 10L * 1024 * 1024;

	static final long MAX_PREVIEW = 1024 * 1024;

	static final int PREVIEW_SIDE = 640;

	/** How often an image made into a JPEG is made smaller again to fit a limit. */
	private static final int MAX_SHRINKS = 4;

	private static final Logger log = LoggerFactory.getLogger(LineImages.class);

	private final MediaStore media;

	private final MediaLinks links;

	LineImages(MediaStore media, MediaLinks links) {
		this.media = media;
		this.links = links;
	}

	/** The messages that show a finished job. */
	List<Message> messages(ImageJob job) {
		return switch (job.state()) {
			case SUCCEEDED -> result(job);
			case FAILED -> List.of(text("⚠️ Image " + job.id() + " failed: "
					+ (job.failureReason() == null ? "the provider gave no reason." : job.failureReason())));
			case CANCELLED -> List.of(text("Image " + job.id() + " was cancelled."));
			default -> List.of();
		};
	}

	/**
	 * The shared command for postback data of buttons made before they carried it
	 * ({@code image:<job>:<code>}), or empty for other data.
	 */
	static Optional<String> oldButton(String data) {
		if (!data.startsWith(OLD_POSTBACK_PREFIX)) {
			return Optional.empty();
		}
		String[] parts = data.substring(OLD_POSTBACK_PREFIX.length()).split(":", 2);
		return parts.length == 2 ? Optional.of("/image #" + parts[0] + " " + parts[1]) : Optional.empty();
	}

	/** The result image, then its buttons in a card (they stay usable later on). */
	private List<Message> result(ImageJob job) {
		MediaRef image = job.kind().producesCandidates() && job.grid() != null ? job.grid()
				: job.candidates().getFirst().image();
		List<Message> messages = new ArrayList<>();
		messages.add(imageMessage(image));
		List<ImageAction> actions = job.actions();
		if (!actions.isEmpty()) {
			messages.add(buttons(job, actions));
		}
		return messages;
	}

	/**
	 * An image message for a stored image: signed HTTPS links to the image and its
	 * preview, each made to fit LINE's limits.
	 */
	ImageMessage imageMessage(MediaRef image) {
		URI original = links.publicUrl(forLine(image, MAX_ORIGINAL, 0).sha256());
		URI preview = links.publicUrl(forLine(image, MAX_PREVIEW, PREVIEW_SIDE).sha256());
		return new ImageMessage(null, null, original, preview);
	}

	private static FlexMessage buttons(ImageJob job, List<ImageAction> actions) {
		String prompt = LineMessages.truncate(job.prompt(), 120);
		String what = job.kind().producesCandidates() ? "Upscale (U) or vary (V) a candidate, or reroll:"
				: "Vary this image:";
		List<FlexComponent> rows = new ArrayList<>();
		rows.add(new FlexText.Builder().text("Image " + job.id()).weight(FlexText.Weight.BOLD).size("md").build());
		rows.add(new FlexText.Builder().text(prompt).wrap(true).size("sm").color("#555555").build());
		rows.add(new FlexText.Builder().text(what).wrap(true).size("xs").color("#888888").margin("md").build());
		List<FlexComponent> footer = new ArrayList<>();
		List<FlexComponent> row = new ArrayList<>();
		Character group = null;
		for (ImageAction action : actions) {
			char kind = action.code().charAt(0);
			if (!row.isEmpty() && (row.size() == 4 || group == null || group != kind)) {
				footer.add(new FlexBox.Builder(FlexBox.Layout.HORIZONTAL, row).spacing("sm").build());
				row = new ArrayList<>();
			}
			group = kind;
			row.add(new FlexButton.Builder(LineMessages.postback(action.label(), data(job, action)))
				.style(kind == 'U' ? FlexButton.Style.PRIMARY : FlexButton.Style.SECONDARY)
				.height(FlexButton.Height.SM)
				.build());
		}
		if (!row.isEmpty()) {
			footer.add(new FlexBox.Builder(FlexBox.Layout.HORIZONTAL, row).spacing("sm").build());
		}
		FlexBubble bubble = new FlexBubble.Builder().body(new FlexBox.Builder(FlexBox.Layout.VERTICAL, rows).build())
			.footer(new FlexBox.Builder(FlexBox.Layout.VERTICAL, footer).spacing("sm").build())
			.build();
		List<Reply.Action> quick = actions.stream()
			.map(action -> Reply.Action.of(action.label(), data(job, action)))
			.toList();
		return new FlexMessage(LineMessages.quickReply(quick), null, "Image " + job.id() + " is ready: "
				+ String.join(", ", actions.stream().map(ImageAction::code).toList()), bubble);
	}

	/** A button's postback: the shared command, as if the user had typed it. */
	static String data(ImageJob job, ImageAction action) {
		return "/image #" + job.id().value() + " " + action.code();
	}

	private static Message text(String text) {
		return LineMessages.texts(List.of(text), List.of()).getFirst();
	}

	/**
	 * The image as LINE takes it: JPEG or PNG, within the size limit, and for a preview
	 * at most {@code side} pixels across. A fitting image is used as it is; anything else
	 * is made into a JPEG and stored as well, smaller again while it is still over the
	 * limit (a tall comic strip can be, even as a JPEG).
	 */
	MediaRef forLine(MediaRef image, long maxBytes, int side) {
		boolean typeOk = image.mimeType().equals("image/png") || image.mimeType().equals("image/jpeg");
		boolean sizeOk = image.sizeBytes() <= maxBytes
				&& (side == 0 || Math.max(image.width(), image.height()) <= side * 2);
		if (typeOk && sizeOk) {
			return image;
		}
		Optional<Media> stored = media.load(image.sha256());
		if (stored.isEmpty()) {
			return image;
		}
		try {
			BufferedImage source = ImageIO.read(new ByteArrayInputStream(stored.get().bytes()));
			if (source == null) {
				return image;
			}
			int longest = Math.max(source.getWidth(), source.getHeight());
			double scale = side == 0 ? 1 : Math.min(1.0, (double) side / longest);
			byte[] jpeg = jpeg(source, scale);
			for (int attempt = 0; jpeg.length > maxBytes && attempt < MAX_SHRINKS; attempt++) {
				// the bytes go roughly with the pixels, which go with the square of the
				// scale
				scale *= Math.sqrt((double) maxBytes / jpeg.length) * 0.9;
				jpeg = jpeg(source, scale);
			}
			return media.store(jpeg);
		}
		catch (IOException | RuntimeException unreadable) {
			log.warn("could not make image {} fit LINE: {}", image.sha256(), unreadable.toString());
			return image;
		}
	}

	private static byte[] jpeg(BufferedImage source, double scale) throws IOException {
		int width = Math.max(1, (int) Math.round(source.getWidth() * scale));
		int height = Math.max(1, (int) Math.round(source.getHeight() * scale));
		BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = scaled.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
			g.drawImage(source, 0, 0, width, height, java.awt.Color.WHITE, null);
		}
		finally {
			g.dispose();
		}
		ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
		ImageIO.write(scaled, "jpeg", jpeg);
		return jpeg.toByteArray();
	}

}
