package io.switchboard.channel.slack;

import java.util.ArrayList;
import java.util.List;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import io.switchboard.assistant.Reply;

/**
 * Block Kit for the channel's messages, within Slack's limits: a section's text holds at
 * most 3000 characters, a button's label 75 and its value 2000, an actions block 25
 * elements; action ids must be unique in a message.
 */
final class SlackBlocks {

	static final int SECTION_MAX = 3000;

	static final int LABEL_MAX = 75;

	static final int VALUE_MAX = 2000;

	/** Buttons per row, so that they wrap the way people read them. */
	private static final int BUTTONS_PER_ROW = 5;

	/** The prefix of the action ids of buttons that send a command back. */
	static final String COMMAND_ACTION = "cmd-";

	private SlackBlocks() {
	}

	/**
	 * A reply with its actions as buttons that send their command back; {@code null} when
	 * plain text says it all.
	 */
	static List<LayoutBlock> reply(String mrkdwn, List<Reply.Action> actions) {
		if (actions.isEmpty()) {
			return null;
		}
		List<LayoutBlock> blocks = new ArrayList<>(sections(mrkdwn));
		List<BlockElement> row = new ArrayList<>();
		int index = 0;
		for (Reply.Action action : actions) {
			if (action.command().length() > VALUE_MAX) {
				continue;
			}
			row.add(button(COMMAND_ACTION + index++, action.label(), action.command(), action.style()));
			if (row.size() == BUTTONS_PER_ROW) {
				blocks.add(ActionsBlock.builder().elements(row).build());
				row = new ArrayList<>();
			}
		}
		if (!row.isEmpty()) {
			blocks.add(ActionsBlock.builder().elements(row).build());
		}
		return blocks;
	}

	/** Sections holding a text, split where Slack's limit requires. */
	static List<LayoutBlock> sections(String mrkdwn) {
		List<LayoutBlock> sections = new ArrayList<>();
		for (String part : SlackMarkdown.split(mrkdwn.isBlank() ? " " : mrkdwn, SECTION_MAX)) {
			sections.add(section(part));
		}
		return sections;
	}

	static SectionBlock section(String mrkdwn) {
		return SectionBlock.builder().text(MarkdownTextObject.builder().text(mrkdwn).build()).build();
	}

	static ContextBlock context(String mrkdwn) {
		return ContextBlock.builder().elements(List.of(MarkdownTextObject.builder().text(mrkdwn).build())).build();
	}

	static ButtonElement button(String actionId, String label, String value, Reply.Style style) {
		return ButtonElement.builder().actionId(actionId).text(plain(label)).value(value).style(switch (style) {
			case PRIMARY -> "primary";
			case DANGER -> "danger";
			case NORMAL -> null;
		}).build();
	}

	static PlainTextObject plain(String text) {
		String label = text.length() <= LABEL_MAX ? text : text.substring(0, LABEL_MAX - 1) + "…";
		return PlainTextObject.builder().text(label).emoji(true).build();
	}

}
