package io.switchboard.comic;

import io.switchboard.assistant.CommandExtension;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Reply;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ReplySink;
import io.switchboard.conversation.User;
import io.switchboard.image.ImageOrigin;

import org.springframework.stereotype.Component;

/**
 * {@code /comic <idea>} on any platform: the whole flow with the defaults. It answers at
 * once with a notice; the strip follows as a {@link ComicFinished} event (or
 * {@link ComicFailed}) that the asking channel delivers, and the comic is in the user's
 * gallery in the studio, where it can be edited further.
 */
@Component
class ComicCommand implements CommandExtension {

	private final Comics comics;

	ComicCommand(Comics comics) {
		this.comics = comics;
	}

	@Override
	public String name() {
		return "comic";
	}

	@Override
	public String help() {
		return "`/comic <idea>` make a four-panel comic strip from an idea (story, panels and strip, all by itself)";
	}

	@Override
	public void handle(User user, InboundMessage message, String arguments, ReplySink sink) {
		if (arguments == null || arguments.isBlank()) {
			sink.accept(new ReplyEvent.Notice(
					Reply.of("Write an idea after `/comic`, e.g. `/comic a cat who wants to become a barista`. "
							+ "For every step by hand, open **Comics** on the web page.")));
			return;
		}
		Comic comic;
		try {
			comic = comics.startRun(user.id(), arguments, new ImageOrigin(message.sender(), message.place()));
		}
		catch (ComicException refused) {
			sink.accept(new ReplyEvent.Notice(Reply.of(refused.getMessage())));
			return;
		}
		String idea = comic.idea().length() > 200 ? comic.idea().substring(0, 200) + "…" : comic.idea();
		// the web page has the studio at hand: a link to watch it being made; elsewhere
		// the channel delivers the strip (ComicFinished)
		String where = Comics.WEB.equals(message.place().platform())
				? "[Watch it being made in the comic studio](/comics/" + comic.id().value() + ")."
				: "The strip will follow here. It is also in your gallery under **Comics** on the web page, "
						+ "where every step can be edited.";
		sink.accept(new ReplyEvent.Notice(Reply.of("🖍️ Comic " + comic.id() + " started: “" + idea
				+ "”. The story, four panels and the strip take a minute or two. " + where)));
	}

}
