package io.switchboard.assistant;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code /help} as a list entry, for pages that offer the commands as you
 * type: {@link Assistant#commandList()} reads them off the help text, so the list and
 * {@code /help} never differ.
 *
 * @param usage the command with its arguments, e.g. {@code /session new [title]}
 * @param description what it does
 * @param insert what picking it puts in the message box: the command up to its first
 * argument, e.g. {@code /session new }
 */
public record CommandHelp(String usage, String description, String insert) {

	/** The help text's command lines, in order; other lines are skipped. */
	static List<CommandHelp> parse(String helpText) {
		List<CommandHelp> list = new ArrayList<>();
		for (String raw : helpText.split("\n")) {
			String line = raw.strip();
			String usage;
			String description;
			if (line.startsWith("`/")) {
				int end = line.lastIndexOf('`');
				usage = line.substring(0, end + 1).replace("`", "").strip();
				description = line.substring(end + 1).strip();
			}
			else if (line.startsWith("/") && line.contains(" — ")) {
				usage = line.substring(0, line.indexOf(" — ")).strip();
				description = line.substring(line.indexOf(" — ") + 3).strip();
			}
			else {
				continue;
			}
			list.add(new CommandHelp(usage, description, insert(usage)));
		}
		return List.copyOf(list);
	}

	private static String insert(String usage) {
		String first = usage.split(" · ")[0];
		StringBuilder words = new StringBuilder();
		for (String word : first.split(" ")) {
			if (word.isEmpty() || "[<|#".indexOf(word.charAt(0)) >= 0 || word.contains("|")) {
				return words.append(' ').toString();
			}
			if (!words.isEmpty()) {
				words.append(' ');
			}
			words.append(word);
		}
		return words.toString();
	}

}
