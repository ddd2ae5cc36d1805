package io.switchboard.identity;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Received;
import io.switchboard.assistant.Reply;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.history.MessageSearch;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /link} and {@code /unlink} across platforms, through the shared command grammar:
 * a code made on LINE joins a Discord account to the same user (sessions and search
 * shared), once; wrong, expired and reused codes change nothing; guessing is cut off;
 * codes are not shown in groups; {@code /unlink} gives the identity back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@ActiveProfiles("test")
class IdentityLinksTest {

	private static final Pattern CODE = Pattern.compile("\\*\\*([A-Z0-9]{8})\\*\\*");

	@Autowired
	Assistant assistant;

	@Autowired
	Conversations conversations;

	@Autowired
	MessageSearch search;

	@Autowired
	JdbcClient jdbc;

	static PlatformUserId someone(String platform) {
		return new PlatformUserId(platform, UUID.randomUUID().toString());
	}

	String say(PlatformUserId who, Place where, String text) {
		Received received = assistant.receive(InboundMessage.text(who, "Tess", where, text));
		assertThat(received).isInstanceOf(Received.Replied.class);
		return String.join("\n", ((Received.Replied) received).replies().stream().map(Reply::text).toList());
	}

	String code(String reply) {
		Matcher code = CODE.matcher(reply);
		assertThat(code.find()).as(reply).isTrue();
		return code.group(1);
	}

	void chat(PlatformUserId who, Place where, String text) {
		assertThat(assistant.receive(InboundMessage.text(who, "Tess", where, text))).isInstanceOf(Received.Asked.class);
	}

	@Test
	void aCodeFromLineJoinsADiscordAccountOnceAndUnlinkGivesItBack() {
		PlatformUserId line = someone("line");
		PlatformUserId discord = someone("discord");
		chat(line, Place.direct("line"), "my sourdough starter smells odd");
		// Discord starts people paused: this one turns the bot on first
		say(discord, Place.direct("discord"), "/user state active");
		chat(discord, Place.direct("discord"), "a question about violins");
		User discordBefore = conversations.identify(discord, "Tess");
		User lineUser = conversations.identify(line, "Tess");
		assertThat(discordBefore.id()).isNotEqualTo(lineUser.id());

		String code = code(say(line, Place.direct("line"), "/link"));
		assertThat(say(discord, Place.direct("discord"), "/link " + code.toLowerCase())).startsWith("Linked");
		assertThat(conversations.identify(discord, "Tess").id()).isEqualTo(lineUser.id());
		// one person now: the Discord session moved along, search finds both platforms'
		// messages
		assertThat(search.search(lineUser.id(), "violins", 10, 0)).hasSize(1);
		assertThat(search.search(lineUser.id(), "sourdough", 10, 0)).hasSize(1);
		assertThat(jdbc.sql("SELECT COUNT(*) FROM sessions WHERE owner_id = ?")
			.param(discordBefore.id().value())
			.query(Long.class)
			.single()).isZero();

		// once only: a second account cannot use it
		PlatformUserId slack = someone("slack");
		assertThat(say(slack, Place.direct("slack"), "/link " + code)).contains("wrong, used or expired");
		assertThat(conversations.identify(slack, "Tess").id()).isNotEqualTo(lineUser.id());

		assertThat(say(discord, Place.direct("discord"), "/unlink")).startsWith("Unlinked");
		assertThat(conversations.identify(discord, "Tess").id()).isEqualTo(discordBefore.id());
		assertThat(say(discord, Place.direct("discord"), "/unlink")).contains("not linked");
	}

	@Test
	void wrongExpiredAndGuessedCodesChangeNothing() {
		PlatformUserId line = someone("line");
		PlatformUserId discord = someone("discord");
		User lineUser = conversations.identify(line, "Tess");
		User discordUser = conversations.identify(discord, "Tess");

		String code = code(say(line, Place.direct("line"), "/link"));
		jdbc.sql("UPDATE link_codes SET expires_at = 0 WHERE code_hash = ?").param(IdentityLinks.hash(code)).update();
		assertThat(say(discord, Place.direct("discord"), "/link " + code)).contains("expired");
		assertThat(say(discord, Place.direct("discord"), "/link nonsense!")).contains("wrong");
		assertThat(conversations.identify(discord, "Tess").id()).isEqualTo(discordUser.id());

		// guessing is cut off, even with the right code afterwards
		for (int i = 0; i < 3; i++) {
			say(discord, Place.direct("discord"), "/link ZZZZZZZZ");
		}
		String fresh = code(say(line, Place.direct("line"), "/link"));
		assertThat(say(discord, Place.direct("discord"), "/link " + fresh)).contains("Too many wrong link codes");
		assertThat(conversations.identify(discord, "Tess").id()).isEqualTo(discordUser.id());

		// its own code, in a group, or too many codes: refused
		assertThat(say(line, Place.direct("line"), "/link " + fresh)).contains("already");
		assertThat(say(line, Place.group("line", "G1"), "/link")).contains("one-to-one")
			.doesNotContainPattern("\\*\\*[A-Z0-9]{8}\\*\\*");
		for (int i = 0; i < 3; i++) {
			code(say(line, Place.direct("line"), "/link"));
		}
		assertThat(say(line, Place.direct("line"), "/link")).contains("in the last hour");
		assertThat(List.of(lineUser.id())).doesNotContain(discordUser.id());
	}

	@Test
	void theWebSignInIsJoinedNotMoved() {
		PlatformUserId web = someone("web");
		assertThat(say(web, Place.web(), "/link ABCDEFGH")).contains("without a code");
	}

}
