package io.switchboard.channel.line;

import io.switchboard.assistant.CommandExtension;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Reply;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ReplySink;
import io.switchboard.conversation.User;

import org.springframework.stereotype.Component;

/** {@code /richmenu}: an admin installs the LINE rich menu, from any channel. */
@Component
@ConditionalOnLineChannel
class RichMenuCommand implements CommandExtension {

	private final LineRichMenu richMenu;

	RichMenuCommand(LineRichMenu richMenu) {
		this.richMenu = richMenu;
	}

	@Override
	public String name() {
		return "richmenu";
	}

	@Override
	public String help() {
		return "`/richmenu` (admins) install the LINE menu: chat, image, new topic, help";
	}

	@Override
	public void handle(User user, InboundMessage message, String arguments, ReplySink sink) {
		if (!user.isAdmin()) {
			sink.accept(new ReplyEvent.Notice(Reply.of("Only an admin may install the LINE rich menu.")));
			return;
		}
		try {
			String id = richMenu.install();
			sink.accept(new ReplyEvent.Notice(Reply.of("Installed the LINE rich menu (" + id
					+ ") as every user's default: chat, image, new topic, help.")));
		}
		catch (RuntimeException failed) {
			sink.accept(new ReplyEvent.Notice(Reply.of("The rich menu was not installed: " + failed.getMessage())));
		}
	}

}
