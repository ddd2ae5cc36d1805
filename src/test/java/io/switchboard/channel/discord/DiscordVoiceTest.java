package io.switchboard.channel.discord;

import java.util.List;

import io.switchboard.fakes.FakeDiscord;
import io.switchboard.fakes.Sounds;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Discord voice messages (an audio attachment with Discord's stated length, a generated
 * WAV here) heard by the fake OpenAI transcription server: answered as their words with
 * what was heard shown; a spoken command runs; silence gets a plain message.
 */
class DiscordVoiceTest extends DiscordTestBase {

	@BeforeEach
	void quiet() {
		whisper.reset();
	}

	@Test
	void aVoiceMessageIsAnsweredAsItsWordsWithWhatWasHeardShown() {
		FakeDiscord.User nia = person("nia");
		byte[] wav = Sounds.sineWav(2, 440);
		whisper.hears("What is a switchboard?");

		FakeDiscord.FakeMessage note = awaitAnswered(
				discord.sayInDm(nia, "", new FakeDiscord.Upload("voice-message.wav", "audio/wav", wav)));

		assertThat(discord.repliesTo(note)).extracting(FakeDiscord.FakeMessage::content)
			.contains("🎤 what I heard: What is a switchboard?", "Echo: What is a switchboard?");
		assertThat(whisper.uploads()).singleElement()
			.satisfies(upload -> assertThat(upload.get("file").bytes()).isEqualTo(wav));
	}

	@Test
	void withSpokenAnswersOnTheAnswerComesWithItsMp3() {
		FakeDiscord.User ria = person("ria");
		FakeDiscord.FakeMessage on = discord.sayInDm(ria, "/user voice on");
		assertThat(replyTo(on).content()).contains("Spoken answers on");

		FakeDiscord.FakeMessage question = askInDm(ria, "Tell me about lanterns");

		List<FakeDiscord.Attachment> spoken = spokenIn(question.channelId);
		assertThat(spoken).singleElement()
			.satisfies(file -> assertThat(file.bytes())
				.isEqualTo(io.switchboard.fakes.FakeSpeech.audioFor("Echo: Tell me about lanterns")));
	}

	@Test
	void anAnswerThroughAnInteractionComesWithItsMp3InAPrivateFollowUp() {
		FakeDiscord.User ivo = person("ivo");
		FakeDiscord.FakeMessage on = discord.sayInDm(ivo, "/user voice on");
		FakeDiscord.FakeMessage reply = replyTo(on);
		tts.reset();

		// a button that sends a text command, pressed: its answer comes privately through
		// the interaction
		FakeDiscord.Interaction press = discord.forceClick(ivo, reply, "cmd:Tell me about bells");

		FakeDiscord.FakeMessage original = press.awaitOriginal(m -> m.content().contains("Echo: Tell me about bells"),
				WAIT);
		assertThat(original.ephemeral()).isTrue();
		FakeDiscord.FakeMessage spoken = press.awaitFollowups(1, WAIT).getFirst();
		assertThat(spoken.ephemeral()).isTrue();
		assertThat(spoken.content()).isEqualTo("🔊");
		assertThat(spoken.files()).singleElement().satisfies(file -> {
			assertThat(file.filename()).endsWith(".mp3");
			assertThat(file.bytes()).isEqualTo(io.switchboard.fakes.FakeSpeech.audioFor("Echo: Tell me about bells"));
		});
		assertThat(tts.spoken()).hasSize(1);
	}

	@Test
	void aSendThatFailsAfterTheAudioWasPostedIsTriedAgainAndPostsItOnce() {
		FakeDiscord.User una = person("una");
		FakeDiscord.FakeMessage on = discord.sayInDm(una, "/user voice on");
		assertThat(replyTo(on).content()).contains("Spoken answers on");
		tts.reset();
		// the step after the audio, taking ✍🏻 off the question, fails once
		discord.failNext("DELETE", "/api/v10/channels/" + una.dmChannelId() + "/messages/\\d+/reactions/.*/@me");

		FakeDiscord.FakeMessage question = askInDm(una, "Tell me about kites");

		long removals = discord.requests()
			.stream()
			.filter(r -> r.method().equals("DELETE") && r.path().contains("/messages/" + question.id + "/reactions/"))
			.count();
		assertThat(removals).as("the failed step and its retry").isGreaterThanOrEqualTo(2);
		List<FakeDiscord.Attachment> spoken = spokenIn(question.channelId);
		assertThat(spoken).singleElement()
			.satisfies(file -> assertThat(file.bytes())
				.isEqualTo(io.switchboard.fakes.FakeSpeech.audioFor("Echo: Tell me about kites")));
		// spoken once and kept: the retry plays the same audio
		assertThat(tts.spoken()).hasSize(1);
		assertThat(question.reactions()).containsExactly("👌");
	}

	@Test
	void aSpokenCommandRunsAndSilenceGetsAPlainMessage() {
		FakeDiscord.User oli = person("oli");
		whisper.hears("/help");
		FakeDiscord.FakeMessage help = discord.sayInDm(oli, "",
				new FakeDiscord.Upload("voice-message.wav", "audio/wav", Sounds.sineWav(1, 330)));
		FakeDiscord.waitFor(WAIT, () -> discord.repliesTo(help).stream().anyMatch(m -> m.content().contains("/help")),
				"the spoken /help carried out");
		assertThat(discord.repliesTo(help).getFirst().content()).contains("🎤 what I heard: /help");

		whisper.hears("");
		FakeDiscord.FakeMessage silence = discord.sayInDm(oli, "",
				new FakeDiscord.Upload("voice-message.wav", "audio/wav", Sounds.sineWav(1, 220)));
		assertThat(replyTo(silence).content()).startsWith("I heard no words");
	}

	/** The MP3 files the bot posted in a channel. */
	private List<FakeDiscord.Attachment> spokenIn(long channelId) {
		return discord.botMessagesIn(channelId)
			.stream()
			.flatMap(message -> message.files().stream())
			.filter(file -> file.filename().endsWith(".mp3"))
			.toList();
	}

}
