package io.switchboard.assistant;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

/**
 * Reads the shared text command grammar: {@code /word [sub-command] [argument...]}.
 * Anything starting with a slash is a command; one we do not know becomes
 * {@link Command.Unknown}.
 */
@Component
class CommandParser {

	private final Map<String, CommandExtension> extensions;

	CommandParser(List<CommandExtension> extensions) {
		this.extensions = extensions.stream()
			.collect(Collectors.toUnmodifiableMap(e -> e.name().toLowerCase(Locale.ROOT), Function.identity()));
	}

	/** Whether a text is a command rather than a message for the model. */
	static boolean isCommand(String text) {
		String stripped = text == null ? "" : text.stripLeading();
		return stripped.length() > 1 && stripped.charAt(0) == '/' && Character.isLetter(stripped.charAt(1));
	}

	Optional<Command> parse(String text) {
		if (!isCommand(text)) {
			return Optional.empty();
		}
		String[] head = text.strip().substring(1).split("\\s+", 2);
		String word = head[0].toLowerCase(Locale.ROOT);
		// platforms like Telegram append the bot's name: /help@SwitchboardBot
		int at = word.indexOf('@');
		if (at > 0) {
			word = word.substring(0, at);
		}
		String rest = head.length > 1 ? head[1].strip() : "";
		return Optional.of(switch (word) {
			case "help", "start", "commands" -> new Command.Help();
			case "new", "newtopic", "reset" -> new Command.NewTopic();
			case "models" -> new Command.Models();
			case "mode" -> new Command.Mode(rest);
			case "compact" -> new Command.Compact();
			case "remember" -> new Command.Remember(rest);
			case "memory", "memories" -> new Command.Memory();
			case "forget" -> new Command.Forget(rest);
			case "tool" -> new Command.ToolDecision(rest);
			case "session", "sessions" -> session(rest);
			case "user", "me" -> user(rest);
			default -> {
				CommandExtension extension = extensions.get(word);
				yield extension == null ? new Command.Unknown(word) : new Command.Extension(extension, rest);
			}
		});
	}

	List<CommandExtension> extensions() {
		return extensions.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
	}

	private static Command session(String rest) {
		String[] parts = rest.split("\\s+", 2);
		String argument = parts.length > 1 ? parts[1].strip() : "";
		Command.SessionAction action = switch (parts[0].toLowerCase(Locale.ROOT)) {
			case "new", "create" -> Command.SessionAction.NEW;
			case "", "list", "ls" -> Command.SessionAction.LIST;
			case "use", "switch" -> Command.SessionAction.USE;
			case "rename", "title", "name" -> Command.SessionAction.RENAME;
			case "public" -> Command.SessionAction.PUBLIC;
			case "private" -> Command.SessionAction.PRIVATE;
			case "model" -> Command.SessionAction.MODEL;
			case "system", "prompt" -> Command.SessionAction.SYSTEM;
			case "remove", "delete", "rm" -> Command.SessionAction.REMOVE;
			case "info", "show" -> Command.SessionAction.INFO;
			case "tools", "tool", "mcp" -> Command.SessionAction.TOOLS;
			default -> null;
		};
		return action == null ? new Command.Unknown("session " + parts[0])
				: new Command.SessionCommand(action, argument);
	}

	private static Command user(String rest) {
		String[] parts = rest.split("\\s+", 2);
		String argument = parts.length > 1 ? parts[1].strip() : "";
		Command.UserAction action = switch (parts[0].toLowerCase(Locale.ROOT)) {
			case "", "info", "show" -> Command.UserAction.INFO;
			case "model" -> Command.UserAction.MODEL;
			case "system", "prompt" -> Command.UserAction.SYSTEM;
			case "maxtokens", "max_tokens", "max-tokens", "max_token" -> Command.UserAction.MAXTOKENS;
			case "state", "status" -> Command.UserAction.STATE;
			case "clear" -> Command.UserAction.CLEAR;
			case "showpublic", "show_public", "public" -> Command.UserAction.SHOWPUBLIC;
			case "attach" -> Command.UserAction.ATTACH;
			case "voice", "speak" -> Command.UserAction.VOICE;
			default -> null;
		};
		return action == null ? new Command.Unknown("user " + parts[0]) : new Command.UserCommand(action, argument);
	}

}
