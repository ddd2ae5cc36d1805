package io.switchboard.channel.line;

import java.util.ArrayList;
import java.util.List;

import com.linecorp.bot.messaging.model.Message;
import com.linecorp.bot.messaging.model.PostbackAction;
import com.linecorp.bot.messaging.model.QuickReply;
import com.linecorp.bot.messaging.model.TextMessage;
import io.switchboard.assistant.Reply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How replies become LINE messages, at LINE's limits. */
class LineMessagesTest {

	@Test
	void aLongTextIsSplitAtParagraphsThenLinesThenWords() {
		String paragraph = "word ".repeat(300).strip(); // 1499 characters
		String text = String.join("\n\n", paragraph, paragraph, paragraph, paragraph);

		List<String> pieces = LineMessages.split(text, 5000);

		assertThat(pieces).hasSize(2);
		assertThat(pieces.get(0)).isEqualTo(String.join("\n\n", paragraph, paragraph, paragraph));
		assertThat(pieces.get(1)).isEqualTo(paragraph);

		List<String> words = LineMessages.split("abc ".repeat(3000), 5000);
		assertThat(words).allSatisfy(piece -> assertThat(piece).hasSizeLessThanOrEqualTo(5000).endsWith("abc"));
	}

	@Test
	void aTextWithoutSpacesIsCutHardButNeverInsideAnEmoji() {
		String emoji = "😀".repeat(3000); // 6000 chars, pairs of surrogates
		List<String> pieces = LineMessages.split(emoji, 5000);
		assertThat(pieces).allSatisfy(piece -> {
			assertThat(piece.length()).isLessThanOrEqualTo(5000);
			assertThat(Character.isHighSurrogate(piece.charAt(piece.length() - 1))).isFalse();
			assertThat(Character.isLowSurrogate(piece.charAt(0))).isFalse();
		});
		assertThat(String.join("", pieces)).isEqualTo(emoji);
	}

	@Test
	void buttonsBecomeAtMostThirteenQuickRepliesEachCommandOnce() {
		List<Reply.Action> actions = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			actions.add(Reply.Action.of("Use a model with a very long name " + i, "/session model m" + i));
		}
		actions.add(0, Reply.Action.of("New topic", "/new"));
		actions.add(1, Reply.Action.of("New topic again", "/new"));

		QuickReply quickReply = LineMessages.quickReply(actions);

		assertThat(quickReply.items()).hasSize(13);
		PostbackAction first = (PostbackAction) quickReply.items().get(0).action();
		assertThat(first.data()).isEqualTo("/new");
		assertThat(first.label()).isEqualTo("New topic");
		PostbackAction second = (PostbackAction) quickReply.items().get(1).action();
		assertThat(second.data()).isEqualTo("/session model m0");
		assertThat(second.label()).hasSize(20).endsWith("…");
		assertThat(second.displayText()).isEqualTo("Use a model with a very long name 0");
	}

	@Test
	void onlyTheLastMessageCarriesTheQuickReplies() {
		List<Message> messages = LineMessages.texts(List.of("first", "x".repeat(6000)),
				List.of(Reply.Action.of("Help", "/help")));
		assertThat(messages).hasSize(3);
		assertThat(((TextMessage) messages.get(0)).quickReply()).isNull();
		assertThat(((TextMessage) messages.get(1)).quickReply()).isNull();
		assertThat(((TextMessage) messages.get(2)).quickReply().items()).hasSize(1);
	}

	@Test
	void markdownBecomesPlainText() {
		assertThat(LineMessages.plain("**Commands**\n`/new` start a new topic"))
			.isEqualTo("Commands\n/new start a new topic");
		assertThat(LineMessages.plain("```\nint x;\n```")).isEqualTo("int x;");
		assertThat(LineMessages.plain("")).isEmpty();
	}

}
