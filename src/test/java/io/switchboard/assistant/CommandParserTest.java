package io.switchboard.assistant;

import java.util.List;

import io.switchboard.conversation.User;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared command grammar. */
class CommandParserTest {

	private final CommandExtension imagine = new CommandExtension() {
		@Override
		public String name() {
			return "imagine";
		}

		@Override
		public String help() {
			return "`/imagine <prompt>`";
		}

		@Override
		public void handle(User user, InboundMessage message, String arguments, ReplySink sink) {
		}
	};

	private final CommandParser parser = new CommandParser(List.of(imagine));

	@Test
	void onlyASlashFollowedByALetterIsACommand() {
		assertThat(CommandParser.isCommand("/help")).isTrue();
		assertThat(CommandParser.isCommand("  /new")).isTrue();
		assertThat(CommandParser.isCommand("/ not a command")).isFalse();
		assertThat(CommandParser.isCommand("/123")).isFalse();
		assertThat(CommandParser.isCommand("what does /help do?")).isFalse();
		assertThat(parser.parse("hello")).isEmpty();
	}

	@Test
	void sessionAndUserSubCommandsKeepTheirArguments() {
		assertThat(parser.parse("/session rename  My new title "))
			.contains(new Command.SessionCommand(Command.SessionAction.RENAME, "My new title"));
		assertThat(parser.parse("/session")).contains(new Command.SessionCommand(Command.SessionAction.LIST, ""));
		assertThat(parser.parse("/session system Be\nbrief"))
			.contains(new Command.SessionCommand(Command.SessionAction.SYSTEM, "Be\nbrief"));
		assertThat(parser.parse("/user max_token 500"))
			.contains(new Command.UserCommand(Command.UserAction.MAXTOKENS, "500"));
		assertThat(parser.parse("/USER STATE activate"))
			.contains(new Command.UserCommand(Command.UserAction.STATE, "activate"));
	}

	@Test
	void compactionAndMemoryCommandsKeepTheirArguments() {
		assertThat(parser.parse("/compact")).contains(new Command.Compact());
		assertThat(parser.parse("/remember  I am vegetarian ")).contains(new Command.Remember("I am vegetarian"));
		assertThat(parser.parse("/remember")).contains(new Command.Remember(""));
		assertThat(parser.parse("/memory")).contains(new Command.Memory());
		assertThat(parser.parse("/memories")).contains(new Command.Memory());
		assertThat(parser.parse("/forget 2")).contains(new Command.Forget("2"));
		assertThat(parser.parse("/forget all confirm")).contains(new Command.Forget("all confirm"));
	}

	@Test
	void aBotNameSuffixIsIgnored() {
		assertThat(parser.parse("/help@SwitchboardBot")).contains(new Command.Help());
	}

	@Test
	void unknownCommandsAndSubCommandsAreNamed() {
		assertThat(parser.parse("/dance")).contains(new Command.Unknown("dance"));
		assertThat(parser.parse("/session dance")).contains(new Command.Unknown("session dance"));
	}

	@Test
	void extensionsAreRecognised() {
		assertThat(parser.parse("/imagine a red fox")).contains(new Command.Extension(imagine, "a red fox"));
	}

}
