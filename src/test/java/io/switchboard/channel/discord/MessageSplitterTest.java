package io.switchboard.channel.discord;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Splitting answers into Discord messages without breaking code blocks. */
class MessageSplitterTest {

	static String words(int count) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < count; i++) {
			text.append("word").append(i % 10).append(i % 7 == 6 ? ".\n" : " ");
		}
		return text.toString().strip();
	}

	static String code(String language, int lines) {
		StringBuilder code = new StringBuilder("```").append(language).append('\n');
		for (int i = 0; i < lines; i++) {
			code.append("    int value").append(i).append(" = compute(").append(i).append(");\n");
		}
		return code.append("```").toString();
	}

	static long fences(String chunk) {
		// a line like ```code``` opens and closes at once
		return chunk.lines()
			.filter(line -> line.stripLeading().startsWith("```") && line.indexOf("```", 3) < 0)
			.count();
	}

	static void assertWellFormed(List<String> chunks) {
		for (String chunk : chunks) {
			assertThat(chunk.length()).as("length of %s", chunk).isLessThanOrEqualTo(MessageSplitter.LIMIT);
			assertThat(fences(chunk) % 2).as("balanced fences in %s", chunk).isZero();
			assertThat(chunk).isNotBlank();
		}
	}

	@Test
	void aShortAnswerIsOneMessage() {
		assertThat(MessageSplitter.split("Hello")).containsExactly("Hello");
		assertThat(MessageSplitter.split("x".repeat(2000))).hasSize(1);
	}

	@Test
	void longProseIsCutAtLineBreaksAndLosesNothing() {
		String text = words(900);
		List<String> chunks = MessageSplitter.split(text);
		assertThat(chunks).hasSizeGreaterThan(1);
		assertWellFormed(chunks);
		assertThat(String.join("\n", chunks).replaceAll("\\s+", " ")).isEqualTo(text.replaceAll("\\s+", " "));
		for (String chunk : chunks.subList(0, chunks.size() - 1)) {
			assertThat(chunk).endsWith(".");
		}
	}

	@Test
	void aCodeBlockThatWouldStraddleTwoMessagesMovesWholeIntoTheNext() {
		String intro = words(240);
		String block = code("java", 20);
		String text = intro + "\n\n" + block + "\n\nThat is all.";
		assertThat(intro.length() + block.length()).isGreaterThan(2000);
		List<String> chunks = MessageSplitter.split(text);
		assertWellFormed(chunks);
		assertThat(chunks).anySatisfy(chunk -> assertThat(chunk).contains(block));
		assertThat(chunks.getFirst()).doesNotContain("```");
	}

	@Test
	void aCodeBlockLongerThanAMessageIsClosedAndReopenedWithItsLanguage() {
		String block = code("python", 150);
		String text = "Here is the script:\n\n" + block + "\n\nRun it with python3.";
		List<String> chunks = MessageSplitter.split(text);
		assertThat(chunks).hasSizeGreaterThanOrEqualTo(3);
		assertWellFormed(chunks);
		assertThat(chunks.get(0)).isEqualTo("Here is the script:");
		for (String chunk : chunks.subList(1, chunks.size() - 1)) {
			assertThat(chunk).startsWith("```python\n").endsWith("\n```");
		}
		// no line of code is lost or cut
		String joined = String.join("\n", chunks);
		for (int i = 0; i < 150; i++) {
			assertThat(joined).contains("    int value" + i + " = compute(" + i + ");\n");
		}
		assertThat(chunks.getLast()).endsWith("Run it with python3.");
	}

	@Test
	void aCodeBlockStillOpenAtTheEndIsClosedForShowing() {
		List<String> chunks = MessageSplitter.split("Look:\n```js\nconsole.log(1)");
		assertThat(chunks).containsExactly("Look:\n```js\nconsole.log(1)\n```");
	}

	@Test
	void whileAnAnswerGrowsItsEarlierMessagesStayTheSame() {
		String full = "Intro.\n" + code("go", 120) + "\n" + words(400);
		List<String> finalChunks = MessageSplitter.split(full);
		for (int length = 2100; length < full.length(); length += 97) {
			List<String> partial = MessageSplitter.split(full.substring(0, length));
			assertWellFormed(partial);
			for (int i = 0; i < partial.size() - 1; i++) {
				assertThat(partial.get(i)).as("message %d at length %d", i, length).isEqualTo(finalChunks.get(i));
			}
		}
	}

	@Test
	void textWithoutBreaksIsCutHardButNeverInsideACharacter() {
		String emoji = "😀".repeat(1500);
		List<String> chunks = MessageSplitter.split(emoji);
		assertWellFormed(chunks);
		assertThat(String.join("", chunks)).isEqualTo(emoji);
		for (String chunk : chunks) {
			assertThat(Character.isHighSurrogate(chunk.charAt(chunk.length() - 1))).isFalse();
		}
	}

	@Test
	void anInlineTripleBacktickLineDoesNotOpenABlock() {
		String text = "```inline```\n" + words(500);
		assertWellFormed(MessageSplitter.split(text));
		assertThat(MessageSplitter.split(text).get(1)).doesNotStartWith("```");
	}

	@Test
	void aLimitTooSmallToWorkIsRefused() {
		assertThatThrownBy(() -> MessageSplitter.split("x", 20)).isInstanceOf(IllegalArgumentException.class);
	}

}
