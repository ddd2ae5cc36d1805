package io.switchboard.channel.discord;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.switchboard.comic.ComicFailed;
import io.switchboard.comic.ComicFinished;
import io.switchboard.comic.ComicId;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.image.ImageOrigin;
import io.switchboard.media.Media;
import io.switchboard.media.MediaLinks;
import io.switchboard.media.MediaStore;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Posts the comics made by {@code /comic} on Discord in the channel (or DM) they were
 * asked for in: a finished one as its title with the strip attached, a failed one as a
 * notice with its reason.
 *
 * <p>
 * A comic is made by a background task on any node, and only the node holding the gateway
 * can post, so the comic module's event is first written down ({@link ComicPosts}); the
 * holder posts it at once when the event was its own, and otherwise when it sweeps the
 * unsent ones, at the pace of the image sweep. A post is claimed before it is sent and
 * marked when it is, so it goes out once.
 */
@Component
class ComicDelivery implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ComicDelivery.class);

	/** How long a poster holds a comic; after that another may try. */
	static final Duration CLAIM = Duration.ofMinutes(2);

	/** Comics not posted within this time (the bot left the channel...) are given up. */
	static final Duration GIVE_UP_AFTER = Duration.ofDays(1);

	private static final int SWEEP_BATCH = 20;

	private final ComicPosts posts;

	private final MediaStore media;

	private final MediaLinks links;

	private final DiscordGateway gateway;

	private final DiscordProperties properties;

	private final Clock clock;

	private volatile ScheduledExecutorService sweeper;

	ComicDelivery(ComicPosts posts, MediaStore media, MediaLinks links, DiscordGateway gateway,
			DiscordProperties properties, Clock clock) {
		this.posts = posts;
		this.media = media;
		this.links = links;
		this.gateway = gateway;
		this.properties = properties;
		this.clock = clock;
	}

	@EventListener
	void on(ComicFinished finished) {
		take(finished.comic(), finished.origin(), finished.title(), finished.strip().sha256(), null);
	}

	@EventListener
	void on(ComicFailed failed) {
		take(failed.comic(), failed.origin(), null, null, failed.reason());
	}

	private void take(ComicId comic, ImageOrigin origin, String title, String strip, String reason) {
		if (origin == null || !Discord.PLATFORM.equals(origin.place().platform())) {
			return;
		}
		posts.add(new ComicPosts.Post(comic.value(), origin.requester().id(), Discord.channelId(origin.place()),
				origin.place().kind() == PlaceKind.DIRECT, title, strip, reason));
		if (gateway.connected().isEmpty()) {
			return; // the holder of the gateway sweeps it up
		}
		// the event comes on the thread that ran the comic: Discord's answers must not
		// hold it up
		Thread.ofVirtual().name("discord-comic-" + comic.value()).start(() -> deliver(comic.value()));
	}

	/** Posts a comic unless it is posted already or being posted. */
	void deliver(long comicId) {
		try {
			ComicPosts.Post post = posts.find(comicId).orElse(null);
			if (post == null) {
				return;
			}
			Optional<MessageChannel> channel = gateway.channel(post.channelId(),
					post.direct() ? post.requester() : null);
			if (channel.isEmpty() || !posts.claim(comicId, CLAIM)) {
				// not this node's to post, or posted already, or another poster has it
				return;
			}
			try {
				Message sent = channel.get().sendMessage(message(post)).complete();
				posts.sent(comicId, sent.getIdLong());
			}
			catch (ErrorResponseException refused) {
				if (refused.isServerError()) {
					posts.release(comicId);
					throw refused;
				}
				// missing access, a closed DM...: the same post would be refused again
				log.warn("Discord refused comic #{} in channel {}: {}", comicId, post.channelId(),
						refused.getMeaning());
				posts.sent(comicId, null);
			}
			catch (RuntimeException failed) {
				posts.release(comicId);
				throw failed;
			}
		}
		catch (RuntimeException failure) {
			log.warn("could not post comic #{} on Discord: {}", comicId, failure.toString());
		}
	}

	/** Posts the comics written down on other nodes (or while this one was offline). */
	void sweep() {
		if (gateway.connected().isEmpty()) {
			return;
		}
		try {
			for (ComicPosts.Post post : posts.unsent(clock.instant().minus(GIVE_UP_AFTER), SWEEP_BATCH)) {
				deliver(post.comicId());
			}
		}
		catch (RuntimeException failure) {
			log.warn("could not sweep the comics to post on Discord: {}", failure.toString());
		}
	}

	private MessageCreateData message(ComicPosts.Post post) {
		String who = "<@" + post.requester() + ">";
		String comic = new ComicId(post.comicId()).toString();
		MessageCreateBuilder message = new MessageCreateBuilder().setAllowedMentions(Discord.NO_MENTIONS);
		if (!post.finished()) {
			return message
				.setContent("⚠️ Comic " + comic + " for " + who + " could not be made: "
						+ Discord.abbreviate(post.reason(), 1500))
				.build();
		}
		StringBuilder text = new StringBuilder("🖍️ **")
			.append(Discord.abbreviate(post.title(), 200).replace("*", "\\*"))
			.append("** — comic ")
			.append(comic)
			.append(" for ")
			.append(who);
		Optional<Media> strip = Optional.ofNullable(post.stripSha256()).flatMap(media::load);
		if (strip.isPresent() && strip.get().bytes().length <= Message.MAX_FILE_SIZE) {
			message.setFiles(List.of(FileUpload.fromData(strip.get().bytes(), "comic-" + post.comicId() + ".png")));
		}
		else if (strip.isPresent()) {
			// larger than Discord takes from a bot: a signed link to it instead
			text.append("\n").append(links.publicUrl(post.stripSha256()));
		}
		else {
			text.append("\nThe strip is missing here: open the comic under Comics on the web page.");
		}
		text.append("\n-# Also in the gallery under Comics on the web page, where every step can be edited.");
		return message.setContent(text.toString()).build();
	}

	// ------------------------------------------------------------- lifecycle

	@Override
	public void start() {
		if (!properties.enabled()) {
			return;
		}
		long every = Math.max(200, properties.imageProgressInterval().toMillis());
		sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("discord-comic-sweep").factory());
		sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		ScheduledExecutorService current = sweeper;
		sweeper = null;
		if (current != null) {
			current.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return sweeper != null;
	}

}
