package io.switchboard.voice;

import java.time.Duration;
import java.util.List;

import io.switchboard.fakes.Sounds;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How an answer is cut into pieces for the speech model, what of its Markdown is read,
 * and how long an MP3 plays (LINE states it with each audio message).
 */
class SpeechPiecesTest {

	@Test
	void aLongAnswerIsSplitAfterSentencesWithinTheLimit() {
		String text = "One sentence here. " + "Another, somewhat longer sentence follows it. ".repeat(4) + "End.";
		List<String> pieces = Speech.split(text, 100);
		assertThat(pieces).allSatisfy(piece -> assertThat(piece.length()).isLessThanOrEqualTo(100));
		assertThat(pieces).allSatisfy(piece -> assertThat(piece).endsWith("."));
		assertThat(String.join(" ", pieces)).isEqualTo(text.strip());
	}

	@Test
	void textWithoutSentencesIsSplitAtSpacesOrAnywhere() {
		assertThat(Speech.split("word ".repeat(60), 100)).allSatisfy(piece -> assertThat(piece).doesNotEndWith(" "))
			.allSatisfy(piece -> assertThat(piece.length()).isLessThanOrEqualTo(100));
		assertThat(Speech.split("x".repeat(250), 100)).extracting(String::length).containsExactly(100, 100, 50);
		assertThat(Speech.split("Short.", 100)).containsExactly("Short.");
	}

	@Test
	void markdownMarksAreNotReadAloud() {
		assertThat(Speech.plain("**Tea** is _brewed_; see [the guide](https://example.com).\n\n# Steps\n> `boil`"))
			.isEqualTo("Tea is brewed; see the guide.\n Steps\n boil");
	}

	@Test
	void anMp3LastsAsLongAsItsFrames() {
		// 1,152 samples at 44.1 kHz per frame
		assertThat(AudioFormat.mp3Duration(Sounds.silentMp3(3)))
			.hasValueSatisfying(length -> assertThat(length.toMillis()).isBetween(2950L, 3050L));
		assertThat(AudioFormat.sniff(Sounds.silentMp3(1))).contains(AudioFormat.MP3);
		assertThat(AudioFormat.mp3Duration(Sounds.sineWav(1, 440))).isEmpty();
		assertThat(AudioFormat.mp3Duration(new byte[] { 'I', 'D', '3' })).isEmpty();
		assertThat(AudioFormat.mp3Duration(new byte[0])).isEqualTo(java.util.Optional.<Duration>empty());
	}

}
