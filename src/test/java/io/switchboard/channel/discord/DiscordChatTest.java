package io.switchboard.channel.discord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserState;
import io.switchboard.fakes.FakeChatServer;
import io.switchboard.fakes.FakeDiscord;
import io.switchboard.fakes.FakeHttpServer;
import io.switchboard.storage.Images;
import org.junit.jupiter.api.Test;

import static io.switchboard.fakes.FakeDiscord.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The question-and-answer mode on the fake Discord: answers in each user state, reactions
 * and paced edits while the model streams, long answers split without breaking code,
 * images with a question, "Session info", private sessions, and interactions acknowledged
 * in time while a model is slow.
 */
class DiscordChatTest extends DiscordTestBase {

	// ------------------------------------------------------------ user states

	@Test
	void inStateNewAMessageStartsAPublicSessionInAServerChannelAndIsAnsweredWithReactions() {
		FakeDiscord.User alice = person("alice");
		FakeDiscord.FakeMessage question = ask(alice, "What is a switchboard?");

		FakeDiscord.FakeMessage answer = replyTo(question);
		assertThat(answer.content()).isEqualTo("Echo: What is a switchboard?");
		assertThat(question.reactionLog()).containsExactly("+✍🏻", "-✍🏻", "+👌");
		assertThat(question.reactions()).containsExactly("👌");

		List<Session> sessions = sessionsOf(alice);
		assertThat(sessions).hasSize(1);
		assertThat(sessions.getFirst().title()).isEqualTo("What is a switchboard?");
		assertThat(sessions.getFirst().isPublic()).isTrue();
		assertThat(sessions.getFirst().origin().kind()).isEqualTo(PlaceKind.GROUP);
		// attach on (as set for these tests): the new session became current, and the
		// state active
		User user = userOf(alice);
		assertThat(user.currentSession()).isEqualTo(sessions.getFirst().id());
		assertThat(user.state()).isEqualTo(UserState.ACTIVE);
		// Discord's answers are short unless the person asks for more
		assertThat(user.maxOutputTokens()).isEqualTo(500);
		assertThat(openai.maxTokens(openai.lastRequestJson())).isEqualTo(500);
	}

	@Test
	void inStateActiveMessagesContinueTheCurrentSessionWithItsContext() {
		FakeDiscord.User bob = person("bob");
		ask(bob, "My name is Bob.");
		ask(bob, "What is my name?");

		assertThat(sessionsOf(bob)).hasSize(1);
		JsonNode request = openai.lastRequestJson();
		List<String> said = new ArrayList<>();
		request.path("messages").forEach(message -> said.add(message.path("content").asText()));
		assertThat(said).containsSubsequence("My name is Bob.", "Echo: My name is Bob.", "What is my name?");
		assertThat(conversations.messageCount(sessionsOf(bob).getFirst().id())).isEqualTo(4);
	}

	@Test
	void inStateNewWithAttachOffEveryMessageStartsItsOwnSessionAndTheStateStaysNew() {
		FakeDiscord.FakeMessage first;
		FakeDiscord.User carol = person("carol");
		ask(carol, "hello");
		User user = userOf(carol);
		conversations.setAttachNewSessions(user.id(), false);
		conversations.setState(user.id(), UserState.NEW);
		first = ask(carol, "first topic");
		ask(carol, "second topic");

		assertThat(sessionsOf(carol)).extracting(Session::title)
			.containsExactlyInAnyOrder("hello", "first topic", "second topic");
		assertThat(userOf(carol).state()).isEqualTo(UserState.NEW);
		assertThat(userOf(carol).currentSession()).isEqualTo(user.currentSession());
		assertThat(replyTo(first).content()).isEqualTo("Echo: first topic");
	}

	@Test
	void aDisabledUserIsNotAnsweredInAServerChannelAndIsToldHowToResumeInADm() {
		FakeDiscord.User dave = person("dave");
		ask(dave, "hello");
		conversations.setState(userOf(dave).id(), UserState.DISABLED);

		FakeDiscord.FakeMessage ignored = discord.say(dave, FakeDiscord.CHANNEL_ID, "are you there?");
		// taken in, with nothing that will ever answer it: no reply, no turn
		awaitTakenInUnanswered(ignored);
		assertThat(discord.repliesTo(ignored)).isEmpty();
		assertThat(ignored.reactionLog()).isEmpty();
		assertThat(modelRequestsMentioning("are you there?")).isZero();

		FakeDiscord.FakeMessage inDm = discord.sayInDm(dave, "hello in private");
		FakeDiscord.FakeMessage notice = replyTo(inDm);
		assertThat(notice.content()).contains("paused");
		assertThat(modelRequestsMentioning("hello in private")).isZero();

		// the notice's button sends "/user state active" as the one who presses it
		FakeDiscord.Interaction resume = discord.click(dave, notice, "cmd:/user state active");
		FakeDiscord.FakeMessage answer = resume.awaitOriginal(WAIT);
		assertThat(answer.ephemeral()).isTrue();
		assertThat(answer.content()).contains("active");
		assertThat(userOf(dave).state()).isEqualTo(UserState.ACTIVE);
		assertThat(replyTo(askInDm(dave, "back again")).content()).isEqualTo("Echo: back again");
	}

	@Test
	void aButtonsAnswerThatIsQuickerThanItsAcknowledgementIsSentOnceItLands() {
		FakeDiscord.User grace = person("grace");
		FakeDiscord.FakeMessage answer = replyTo(ask(grace, "hello before the button"));
		discord.slowAcknowledgements(Duration.ofMillis(800));
		try {
			FakeDiscord.Interaction help = discord.forceClick(grace, answer, "cmd:/help");
			assertThat(help.awaitOriginal(WAIT).content()).contains("/new");
		}
		finally {
			discord.slowAcknowledgements(Duration.ZERO);
		}
	}

	@Test
	void aSessionStartedInADmIsPrivate() {
		FakeDiscord.User frank = person("frank");
		FakeDiscord.FakeMessage question = askInDm(frank, "a private question");
		assertThat(replyTo(question).content()).isEqualTo("Echo: a private question");
		assertThat(sessionsOf(frank)).singleElement().satisfies(session -> {
			assertThat(session.isPublic()).isFalse();
			assertThat(session.origin().kind()).isEqualTo(PlaceKind.DIRECT);
		});
	}

	@Test
	void messagesOfBotsAreNotAnswered() {
		FakeDiscord.User robot = discord.otherBot("robot");
		FakeDiscord.FakeMessage fromBot = discord.say(robot, FakeDiscord.CHANNEL_ID, "beep from a bot");
		// left alone before the intake: neither stored nor answered
		assertThat(awaitHandled(fromBot)).isEmpty();
		assertThat(intake.seen("discord", "msg:" + fromBot.id)).isFalse();
		assertThat(discord.repliesTo(fromBot)).isEmpty();
		assertThat(modelRequestsMentioning("beep from a bot")).isZero();
	}

	// ------------------------------------------------------- streaming, pace

	@Test
	void whileTheModelWritesTheQuestionShowsWritingAndTheReplyGrowsByEdits() {
		CountDownLatch release = new CountDownLatch(1);
		openai.replyInPieces("The first piece", " and the second", " and the third.");
		openai.holdNextStreamAfterFirstPiece(release);
		FakeDiscord.User heidi = person("heidi");
		FakeDiscord.FakeMessage question = discord.say(heidi, FakeDiscord.CHANNEL_ID, "tell me in pieces");

		FakeDiscord.FakeMessage answer = replyTo(question);
		waitFor(WAIT, () -> answer.content().equals("The first piece"), "the first piece shown");
		assertThat(question.reactions()).containsExactly("✍🏻");

		release.countDown();
		waitFor(WAIT, () -> question.reactions().contains("👌"), "the answer complete");
		assertThat(answer.content()).isEqualTo("The first piece and the second and the third.");
		assertThat(answer.history()).first().isEqualTo("The first piece");
		assertThat(question.reactions()).containsExactly("👌");
		assertThat(question.reactionLog()).containsExactly("+✍🏻", "-✍🏻", "+👌");
	}

	@Test
	void theReplyIsEditedAtASteadyPaceHoweverFastThePiecesCome() {
		// 60 pieces over about 1.8 s: one edit per piece would be 60 edits
		String[] pieces = new String[60];
		for (int i = 0; i < pieces.length; i++) {
			pieces[i] = "w" + i + " ";
		}
		openai.replyInPieces(pieces);
		openai.pieceDelay(Duration.ofMillis(30));
		FakeDiscord.User ivan = person("ivan");
		long started = System.nanoTime();
		FakeDiscord.FakeMessage question = ask(ivan, "talk fast");
		Duration took = Duration.ofNanos(System.nanoTime() - started);

		FakeDiscord.FakeMessage answer = replyTo(question);
		assertThat(answer.content()).isEqualTo(String.join("", pieces).strip());
		// each shown text grew from the one before
		List<String> shown = answer.history();
		for (int i = 1; i < shown.size(); i++) {
			assertThat(shown.get(i)).startsWith(shown.get(i - 1).strip());
		}
		long allowed = took.toMillis() / EDIT_INTERVAL.toMillis() + 2;
		assertThat(shown.size()).as("edits in %s at one per %s", took, EDIT_INTERVAL)
			.isGreaterThan(2)
			.isLessThanOrEqualTo((int) allowed);
		assertThat(editsOf(answer)).isEqualTo(shown.size() - 1);
	}

	@Test
	void aLongAnswerIsSplitIntoMessagesOfAtMost2000CharactersWithoutCuttingItsCode() {
		StringBuilder code = new StringBuilder("```java\n");
		for (int i = 0; i < 120; i++) {
			code.append("System.out.println(\"line ").append(i).append("\");\n");
		}
		code.append("```");
		String prose = "Here is a program that prints many lines. ".repeat(20);
		String reply = prose + "\n\n" + code + "\n\nIt prints 120 lines.";
		openai.reply(reply);
		FakeDiscord.User judy = person("judy");
		FakeDiscord.FakeMessage question = ask(judy, "write a long program");

		List<FakeDiscord.FakeMessage> parts = discord.botMessagesIn(FakeDiscord.CHANNEL_ID)
			.stream()
			.filter(message -> message.id > question.id && message.id <= lastAnswerPart(question).id)
			.toList();
		assertThat(parts).hasSizeGreaterThanOrEqualTo(3);
		assertThat(parts.getFirst().referencedId()).isEqualTo(question.id);
		for (FakeDiscord.FakeMessage part : parts) {
			assertThat(part.content().length()).isLessThanOrEqualTo(2000);
			long fences = part.content().lines().filter(line -> line.startsWith("```")).count();
			assertThat(fences % 2).as("balanced code fences in %s", part.content()).isZero();
		}
		assertThat(parts.getFirst().content()).doesNotContain("```");
		for (FakeDiscord.FakeMessage part : parts.subList(1, parts.size() - 1)) {
			assertThat(part.content()).startsWith("```java\n").endsWith("\n```");
		}
		String shown = String.join("\n", parts.stream().map(FakeDiscord.FakeMessage::content).toList());
		for (int i = 0; i < 120; i++) {
			assertThat(shown).contains("System.out.println(\"line " + i + "\");\n");
		}
		assertThat(parts.getLast().content()).endsWith("It prints 120 lines.");
		// the whole answer is kept as the model wrote it
		Session session = sessionsOf(judy).getFirst();
		assertThat(conversations.recentMessages(userOf(judy).id(), session.id(), 1).getFirst().text()).isEqualTo(reply);
	}

	@Test
	void theModelsAnswerNeverMentionsAnyone() {
		openai.reply("@everyone look at this, <@&123> too");
		FakeDiscord.FakeMessage question = ask(person("kim"), "say something loud");
		FakeDiscord.FakeMessage answer = replyTo(question);
		FakeHttpServer.RecordedRequest created = discord.requests()
			.stream()
			.filter(r -> r.method().equals("POST")
					&& r.path().endsWith("/channels/" + FakeDiscord.CHANNEL_ID + "/messages")
					&& r.bodyText().contains(Long.toString(question.id)))
			.findFirst()
			.orElseThrow();
		JsonNode mentions = created.json().path("allowed_mentions");
		assertThat(mentions.path("parse")).isEmpty();
		assertThat(mentions.path("replied_user").asBoolean(true)).isFalse();
		assertThat(answer.content()).startsWith("@everyone");
	}

	// ---------------------------------------------------------------- images

	@Test
	void anImageWithAQuestionReachesTheModelAsImageAndText() throws Exception {
		byte[] png = Images.png(64, 48);
		FakeDiscord.User liam = person("liam");
		FakeDiscord.FakeMessage question = awaitAnswered(discord.sayInDm(liam, "What is in this picture?",
				new FakeDiscord.Upload("photo.png", "image/png", png)));

		assertThat(replyTo(question).content()).isEqualTo("Echo: What is in this picture?");
		JsonNode request = openai.lastRequestJson();
		List<FakeChatServer.Image> images = openai.images(request);
		assertThat(images).singleElement().satisfies(image -> {
			assertThat(image.mimeType()).isEqualTo("image/png");
			assertThat(image.data()).isEqualTo(png);
		});
		assertThat(request.toString()).contains("What is in this picture?");
	}

	@Test
	void aFileThatIsNotAnImageIsRefusedAndNothingReachesTheModel() {
		FakeDiscord.User mia = person("mia");
		FakeDiscord.FakeMessage question = discord.sayInDm(mia, "what does this say?",
				new FakeDiscord.Upload("fake.png", "image/png", "not really a picture".getBytes()));
		assertThat(replyTo(question).content()).contains("not an image");
		assertThat(modelRequestsMentioning("what does this say?")).isZero();
	}

	// ----------------------------------------------------------- session info

	@Test
	void sessionInfoOnAnAnswerShowsTheSessionAndItsContextPrivately() {
		FakeDiscord.User nina = person("nina");
		ask(nina, "Remember the word pineapple.");
		FakeDiscord.FakeMessage question = ask(nina, "What word?");
		FakeDiscord.FakeMessage answer = replyTo(question);

		FakeDiscord.Interaction info = discord.messageCommand(nina, answer, "Session info");
		FakeDiscord.FakeMessage panel = info.awaitOriginal(WAIT);
		assertThat(panel.ephemeral()).isTrue();
		Session session = sessionsOf(nina).getFirst();
		assertThat(panel.content()).contains("**Session " + session.id() + "**", "Remember the word pineapple.");
		assertThat(panel.customIds()).contains("s:public:" + session.id().value());
		List<FakeDiscord.FakeMessage> context = info.awaitFollowups(1, WAIT);
		assertThat(context.getFirst().ephemeral()).isTrue();
		assertThat(context.getFirst().content()).contains("Context of session " + session.id(),
				"Remember the word pineapple.", "Echo: What word?");

		FakeDiscord.Interaction onQuestion = discord.messageCommand(nina, question, "Session info");
		assertThat(onQuestion.awaitOriginal(WAIT).content()).contains("works on my answers");
	}

	// -------------------------------------------------------- private sessions

	@Test
	void aSessionMadePrivateIsRefusedToAnotherUserWhoUsedIt() {
		FakeDiscord.User owner = person("olga");
		FakeDiscord.FakeMessage ownersAnswer = replyTo(ask(owner, "a shared topic"));
		Session shared = sessionsOf(owner).getFirst();
		FakeDiscord.User guest = person("paul");
		ask(guest, "hi");
		conversations.useSession(userOf(guest).id(), shared.id());
		FakeDiscord.FakeMessage guestQuestion = ask(guest, "joining the shared topic");
		assertThat(replyTo(guestQuestion).content()).isEqualTo("Echo: joining the shared topic");
		assertThat(conversations.messageCount(shared.id())).isEqualTo(4);

		conversations.setSessionPublic(userOf(owner).id(), shared.id(), false);
		FakeDiscord.FakeMessage refused = discord.say(guest, FakeDiscord.CHANNEL_ID, "may I still?");
		assertThat(replyTo(refused).content()).contains("private to its owner");
		assertThat(modelRequestsMentioning("may I still?")).isZero();
		assertThat(conversations.messageCount(shared.id())).isEqualTo(4);

		FakeDiscord.Interaction info = discord.messageCommand(guest, ownersAnswer, "Session info");
		assertThat(info.awaitOriginal(WAIT).content()).contains("private to its owner");
		assertThat(info.original().customIds()).isEmpty();
	}

	// ------------------------------------------------------------ slow models

	@Test
	void interactionsAreAcknowledgedWithinThreeSecondsWhileTheModelIsSlow() {
		openai.firstByteDelay(Duration.ofSeconds(6));
		FakeDiscord.User quinn = person("quinn");
		FakeDiscord.FakeMessage slow = discord.say(quinn, FakeDiscord.CHANNEL_ID, "a slow question");
		waitFor(WAIT, () -> slow.reactions().contains("✍🏻"), "the model to start");

		FakeDiscord.Interaction panel = discord.slash(quinn, FakeDiscord.CHANNEL_ID, "user", Map.of());
		panel.awaitAcknowledged(Duration.ofSeconds(3));
		assertThat(panel.acknowledgedAfter()).isLessThan(Duration.ofSeconds(3));
		FakeDiscord.FakeMessage shown = panel.awaitOriginal(WAIT);
		FakeDiscord.Interaction toggle = discord.click(quinn, shown, "u:showpublic");
		toggle.awaitAcknowledged(Duration.ofSeconds(3));
		assertThat(toggle.acknowledgedAfter()).isLessThan(Duration.ofSeconds(3));
		FakeDiscord.Interaction session = discord.slash(quinn, FakeDiscord.CHANNEL_ID, "session", Map.of());
		session.awaitAcknowledged(Duration.ofSeconds(3));
		assertThat(session.acknowledgedAfter()).isLessThan(Duration.ofSeconds(3));
		assertThat(slow.reactions()).as("the model is still writing").containsExactly("✍🏻");

		awaitAnswered(slow);
		assertThat(replyTo(slow).content()).isEqualTo("Echo: a slow question");
	}

	// ----------------------------------------------------------------- helpers

	private FakeDiscord.FakeMessage lastAnswerPart(FakeDiscord.FakeMessage question) {
		List<FakeDiscord.FakeMessage> after = discord.botMessagesIn(question.channelId)
			.stream()
			.filter(message -> message.id > question.id)
			.toList();
		return after.stream().filter(m -> m.content().endsWith("It prints 120 lines.")).findFirst().orElseThrow();
	}

	private static long editsOf(FakeDiscord.FakeMessage message) {
		return discord.requests()
			.stream()
			.filter(r -> r.method().equals("PATCH") && r.path().endsWith("/messages/" + message.id))
			.count();
	}

}
