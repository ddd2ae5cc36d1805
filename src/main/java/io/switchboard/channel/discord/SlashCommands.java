package io.switchboard.channel.discord;

import java.util.ArrayList;
import java.util.List;

import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.CommandData;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The bot's application commands, registered when it connects: {@code /user},
 * {@code /session}, {@code /imagine}, {@code /comic} and the message command "Session
 * info". They replace whatever was registered before, globally or in the configured
 * servers.
 */
@Component
class SlashCommands {

	private static final Logger log = LoggerFactory.getLogger(SlashCommands.class);

	private final DiscordProperties properties;

	SlashCommands(DiscordProperties properties) {
		this.properties = properties;
	}

	List<CommandData> definitions() {
		List<CommandData> commands = new ArrayList<>();
		commands.add(Commands.slash("user", "Your settings and sessions")
			.addOptions(
					new OptionData(OptionType.STRING, "system_msg",
							"The system message of your new sessions (\"-\" removes it)")
						.setMaxLength(4000),
					new OptionData(OptionType.INTEGER, "max_token", "The longest answer you want, in tokens")
						.setRequiredRange(16, 200_000)));
		commands.add(Commands.slash("session", "Your current session")
			.addOptions(new OptionData(OptionType.STRING, "name", "A new name for the session").setMaxLength(200),
					new OptionData(OptionType.STRING, "system_msg", "The session's system message (\"-\" removes it)")
						.setMaxLength(4000)));
		commands.add(Commands.slash("imagine", "Draw four pictures from a prompt")
			.addOptions(new OptionData(OptionType.STRING, "prompt",
					"What to draw; options such as --ar 16:9, --no text, --seed 42 go at the end", true)
				.setMaxLength(4000)));
		commands.add(Commands.slash("comic", "Make a four-panel comic strip from an idea")
			.addOptions(new OptionData(OptionType.STRING, "idea", "What the comic is about", true).setMaxLength(2000)));
		commands.add(Commands.message(SessionPanel.SESSION_INFO));
		return commands;
	}

	/**
	 * Registers the commands, in the configured servers or else globally: global ones
	 * from shard 0 only, a server's from the shard that has it.
	 */
	void register(JDA jda) {
		List<CommandData> commands = definitions();
		if (properties.commandGuilds().isEmpty()) {
			if (jda.getShardInfo().getShardId() == 0) {
				jda.updateCommands()
					.addCommands(commands)
					.queue(done -> log.info("registered {} Discord commands globally", done.size()),
							failure -> log.warn("could not register the Discord commands: {}", failure.toString()));
			}
			return;
		}
		for (String guildId : properties.commandGuilds()) {
			Guild guild = jda.getGuildById(guildId);
			if (guild == null) {
				if (properties.shards() == 1) {
					log.warn("cannot register commands in Discord server {}: the bot is not a member "
							+ "(switchboard.discord.command-guilds)", guildId);
				}
				// with several shards, the shard that has the server registers there
				continue;
			}
			guild.updateCommands()
				.addCommands(commands)
				.queue(done -> log.info("registered {} Discord commands in server {}", done.size(), guildId),
						failure -> log.warn("could not register the Discord commands in server {}: {}", guildId,
								failure.toString()));
		}
	}

}
