package io.switchboard.channel;

import java.util.Optional;

import io.switchboard.comic.ComicFailed;
import io.switchboard.comic.ComicFinished;
import io.switchboard.image.ImageJob;
import io.switchboard.image.ImageJobUpdated;
import io.switchboard.image.ImageOrigin;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * What reaches a platform after its event was answered: the changes of image jobs and the
 * outcome of comics asked for there, written as deliveries to the place they were asked
 * in. An image job has one delivery, brought up to date with each change (Slack and
 * Discord edit its message); a comic one.
 */
@Component
class Followups {

	private final Renderers renderers;

	private final Deliveries deliveries;

	Followups(Renderers renderers, Deliveries deliveries) {
		this.renderers = renderers;
		this.deliveries = deliveries;
	}

	@EventListener
	void on(ImageJobUpdated updated) {
		ImageJob job = updated.job();
		renderer(job.origin()).filter(renderer -> renderer.shows(job))
			.ifPresent(renderer -> renderer.addressFor(job.origin())
				.ifPresent(address -> deliveries.changed(renderer.platform(),
						new Delivery.Image(job.id().value(), job.owner().value()), address, job.state().finished())));
	}

	@EventListener
	void on(ComicFinished finished) {
		comic(finished.origin(), new Delivery.Comic(finished.comic().value(), requester(finished.origin()),
				finished.title(), finished.strip().sha256(), null));
	}

	@EventListener
	void on(ComicFailed failed) {
		comic(failed.origin(),
				new Delivery.Comic(failed.comic().value(), requester(failed.origin()), null, null, failed.reason()));
	}

	private void comic(ImageOrigin origin, Delivery.Comic comic) {
		renderer(origin).ifPresent(renderer -> renderer.addressFor(origin)
			.ifPresent(address -> deliveries.add(renderer.platform(), comic, address, false)));
	}

	private static String requester(ImageOrigin origin) {
		return origin == null ? null : origin.requester().id();
	}

	private Optional<ChannelRenderer<Object, Object>> renderer(ImageOrigin origin) {
		return origin == null ? Optional.empty() : renderers.find(origin.place().platform());
	}

}
