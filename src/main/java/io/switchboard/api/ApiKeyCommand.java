package io.switchboard.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.switchboard.assistant.CommandExtension;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Reply;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ReplySink;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserId;

import org.springframework.stereotype.Component;

/**
 * {@code /apikey create|list|revoke} on every platform. Anyone manages their own keys; an
 * admin also lists everyone's ({@code list all}), makes keys for others
 * ({@code user=<id>}) and revokes any. A new key is shown once, and never in a group.
 */
@Component
class ApiKeyCommand implements CommandExtension {

	static final String USAGE = """
			`/apikey list [all]` · `/apikey revoke <#id>` · \
			`/apikey create <name> [models=a,b] [rpm=60] [tpd=100000] [spend=5.00] [user=<id>]`""";

	private final ApiKeys keys;

	ApiKeyCommand(ApiKeys keys) {
		this.keys = keys;
	}

	@Override
	public String name() {
		return "apikey";
	}

	@Override
	public String help() {
		return "/apikey create|list|revoke — API keys for OpenAI clients";
	}

	@Override
	public void handle(User user, InboundMessage message, String arguments, ReplySink sink) {
		List<String> words = List.of(arguments.strip().split("\\s+"));
		String action = words.getFirst().toLowerCase(Locale.ROOT);
		List<String> rest = words.subList(1, words.size()).stream().filter(word -> !word.isBlank()).toList();
		try {
			sink.accept(new ReplyEvent.Notice(switch (action) {
				case "list" -> list(user, rest);
				case "create" -> create(user, message, rest);
				case "revoke" -> revoke(user, rest);
				default -> Reply.of(USAGE);
			}));
		}
		catch (ApiKeys.ApiKeyException | IllegalArgumentException | ArithmeticException refused) {
			sink.accept(new ReplyEvent.Notice(Reply.of(refused.getMessage() + "\n" + USAGE)));
		}
	}

	private Reply list(User user, List<String> rest) {
		boolean all = rest.contains("all");
		if (all && !user.isAdmin()) {
			throw new ApiKeys.ApiKeyException("Only an admin may list everyone's keys.");
		}
		List<ApiKey> list = all ? keys.all() : keys.keysOf(user.id());
		if (list.isEmpty()) {
			return Reply.of("No API keys yet. Make one with `/apikey create <name>`.");
		}
		StringBuilder text = new StringBuilder("**API keys**\n");
		for (ApiKey key : list) {
			text.append("#")
				.append(key.id())
				.append(" ")
				.append(key.name())
				.append(" `")
				.append(key.hint())
				.append("` ");
			if (all) {
				text.append("user ").append(key.userId()).append(" · ");
			}
			text.append(ApiPagesController.describe(key)).append(key.revoked() ? " · revoked" : "").append('\n');
		}
		return Reply.of(text.toString().strip());
	}

	private Reply create(User user, InboundMessage message, List<String> rest) {
		if (message.place().kind() == PlaceKind.GROUP) {
			throw new ApiKeys.ApiKeyException(
					"A key is a secret: make it in a direct chat with me or on the web page, not in a group.");
		}
		StringBuilder name = new StringBuilder();
		Set<String> models = new LinkedHashSet<>();
		Integer rpm = null;
		Long tpd = null;
		Long spend = null;
		UserId owner = user.id();
		for (String word : rest) {
			int eq = word.indexOf('=');
			String option = eq < 0 ? "" : word.substring(0, eq).toLowerCase(Locale.ROOT);
			String value = eq < 0 ? "" : word.substring(eq + 1);
			switch (option) {
				case "models" -> models.addAll(List.of(value.split(",")).stream().filter(m -> !m.isBlank()).toList());
				case "rpm" -> rpm = Integer.parseInt(value);
				case "tpd" -> tpd = Long.parseLong(value);
				case "spend" -> spend = new BigDecimal(value.replace("$", "")).movePointRight(9)
					.setScale(0, RoundingMode.HALF_UP)
					.longValueExact();
				case "user" -> owner = new UserId(Long.parseLong(value.replace("#", "")));
				default -> name.append(name.isEmpty() ? "" : " ").append(word);
			}
		}
		ApiKeys.Created created = keys.create(user, owner, name.toString(), new ApiKey.Limits(models, rpm, tpd, spend));
		return Reply.of("Made the API key #" + created.key().id() + " " + created.key().name() + " ("
				+ ApiPagesController.describe(created.key()) + "). Copy it now, it is not shown again:\n`"
				+ created.secret() + "`");
	}

	private Reply revoke(User user, List<String> rest) {
		if (rest.isEmpty()) {
			throw new ApiKeys.ApiKeyException("Which key? Give its number, e.g. `/apikey revoke #3`.");
		}
		long id = Long.parseLong(rest.getFirst().replace("#", ""));
		ApiKey revoked = keys.revoke(user, id);
		return Reply.of("Revoked the API key #" + revoked.id() + " " + revoked.name() + " (" + revoked.hint() + ").");
	}

}
