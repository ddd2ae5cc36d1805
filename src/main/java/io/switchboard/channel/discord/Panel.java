package io.switchboard.channel.discord;

import java.util.List;

import net.dv8tion.jda.api.interactions.components.ActionRow;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;
import net.dv8tion.jda.api.utils.messages.MessageEditData;

/**
 * A message with components, as the {@code /user} and {@code /session} panels are: sent
 * as a new (ephemeral) message or put in place of the one a button was pressed on.
 */
record Panel(String content, List<ActionRow> rows) {

	Panel {
		content = content.length() <= MessageSplitter.LIMIT ? content
				: content.substring(0, MessageSplitter.LIMIT - 1) + "…";
		rows = List.copyOf(rows);
	}

	static Panel text(String content) {
		return new Panel(content, List.of());
	}

	MessageEditData edit() {
		return new MessageEditBuilder().setContent(content)
			.setComponents(rows)
			.setAllowedMentions(Discord.NO_MENTIONS)
			.build();
	}

	MessageCreateData create() {
		return new MessageCreateBuilder().setContent(content)
			.setComponents(rows)
			.setAllowedMentions(Discord.NO_MENTIONS)
			.build();
	}

}
