package io.switchboard.assistant;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.switchboard.conversation.AnswerState;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Exchange;
import io.switchboard.conversation.MessageRole;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserState;
import io.switchboard.llm.demo.DemoChatProvider;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaStore;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.testsupport.RecordingSink;
import io.switchboard.usage.UsageLedger;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conversation core end to end, on the demo provider: commands, states, context and
 * bad input.
 */
@IntegrationTest
@TestPropertySource(
		properties = { "switchboard.llm.models.demo.provider=demo", "switchboard.llm.models.demo.context-window=16384",
				"switchboard.llm.models.demo.vision=true", "switchboard.llm.models.blind.provider=demo",
				"switchboard.llm.models.blind.vision=false", "switchboard.llm.models.tiny.provider=demo",
				"switchboard.llm.models.tiny.context-window=400", "switchboard.llm.models.tiny.max-output-tokens=120",
				"switchboard.llm.default-model=demo", "switchboard.assistant.max-message-chars=2000",
				// pages of three: a context is read over several, sized as the budget
				// goes
				"switchboard.assistant.context-page-size=3" })
class AssistantTest {

	@Autowired
	Assistant assistant;

	@Autowired
	Conversations conversations;

	@Autowired
	MediaStore media;

	@Autowired
	UsageLedger usage;

	final PlatformUserId me = new PlatformUserId("line", "U" + UUID.randomUUID());

	final RecordingSink sink = new RecordingSink();

	/** How the assistant dealt with a message, as these tests tell it apart. */
	enum Outcome {

		ANSWERED, COMMAND, IGNORED, REFUSED, FAILED

	}

	Outcome send(String text) {
		return send(me, Place.direct("line"), text);
	}

	Outcome send(PlatformUserId who, Place place, String text) {
		return handle(InboundMessage.text(who, "Tester", place, text));
	}

	/**
	 * What a channel's message goes through: received (and stored) at once, then answered
	 * by its turn; replies and the answer's events land in {@link #sink}.
	 */
	Outcome handle(InboundMessage message) {
		sink.clear();
		Received received = assistant.receive(message);
		return switch (received) {
			case Received.Replied replied -> {
				replied.replies().forEach(reply -> sink.accept(new ReplyEvent.Notice(reply)));
				if (message.text().startsWith("/")) {
					yield Outcome.COMMAND;
				}
				yield replied.user().state() == UserState.DISABLED ? Outcome.IGNORED : Outcome.REFUSED;
			}
			case Received.Asked asked -> {
				StoredMessage settled = asked.exchange().answer();
				if (settled.state() == AnswerState.PENDING) {
					settled = assistant.answer(asked.exchange().answerId(), message.sender().platform(), sink)
						.orElseThrow();
				}
				else {
					sink.accept(new ReplyEvent.Notice(Reply.of(settled.note())));
				}
				yield switch (settled.state()) {
					case ANSWERED -> Outcome.ANSWERED;
					case REFUSED -> Outcome.REFUSED;
					default -> Outcome.FAILED;
				};
			}
		};
	}

	User user() {
		return conversations.findUser(me).orElseThrow();
	}

	@Test
	void aMessageIsAnsweredStreamedAndRecordedWithItsCost() {
		assertThat(send("What is the capital of Peru?")).isEqualTo(Outcome.ANSWERED);
		ReplyEvent.AnswerStarted started = sink.of(ReplyEvent.AnswerStarted.class).getFirst();
		assertThat(started.model()).isEqualTo("demo");
		assertThat(started.demo()).isTrue();
		assertThat(sink.of(ReplyEvent.AnswerDelta.class)).hasSizeGreaterThan(3);
		ReplyEvent.AnswerCompleted done = sink.completed();
		assertThat(done.text()).isEqualTo(sink.streamedText())
			.startsWith(DemoChatProvider.LABEL)
			.contains("What is the capital of Peru?");
		assertThat(done.exchange().session().title()).isEqualTo("What is the capital of Peru?");
		assertThat(done.usage().inputTokens()).isPositive();
		assertThat(done.exchange().answer().answer().model()).isEqualTo("demo");
		assertThat(conversations.messageCount(done.exchange().session().id())).isEqualTo(2);
		assertThat(usage.forUser(user().id().value(), LocalDate.now(ZoneOffset.UTC), LocalDate.now(ZoneOffset.UTC)))
			.singleElement()
			.satisfies(row -> assertThat(row.requests()).isEqualTo(1));
	}

	@Test
	void theNextMessageContinuesTheSessionAndNewStartsAFreshTopic() {
		send("first question");
		Session session = sink.completed().exchange().session();
		send("second question");
		assertThat(sink.completed().exchange().session().id()).isEqualTo(session.id());
		assertThat(sink.completed().text()).contains("I remember 2 earlier messages");

		assertThat(send("/new")).isEqualTo(Outcome.COMMAND);
		assertThat(sink.notice().text()).contains("New topic");
		send("third question");
		assertThat(sink.completed().text()).doesNotContain("I remember");
		assertThat(sink.completed().exchange().question().topic()).isEqualTo(2);
		assertThat(conversations.messageCount(session.id())).isEqualTo(6);
	}

	@Test
	void theSessionsSystemPromptReachesTheModel() {
		send("/session new Pirate talk");
		send("/session system Answer like a pirate.");
		assertThat(sink.notice().text()).contains("Answer like a pirate.");
		send("hello");
		assertThat(sink.completed().text()).contains("My instructions: \"Answer like a pirate.\"");
		assertThat(sink.completed().exchange().session().title()).isEqualTo("Pirate talk");
	}

	@Test
	void aDisabledUserIsNotAnsweredAndNothingIsStored() {
		send("/user state disabled");
		assertThat(sink.notice().text()).contains("disabled");
		assertThat(send("are you there?")).isEqualTo(Outcome.IGNORED);
		assertThat(sink.notice().text()).contains("paused");
		assertThat(sink.of(ReplyEvent.AnswerStarted.class)).isEmpty();
		assertThat(conversations.countSessionsFor(user())).isZero();

		// in a group a paused user's messages are passed over in silence
		assertThat(send(me, Place.group("line", "G1"), "anyone?")).isEqualTo(Outcome.IGNORED);
		assertThat(sink.events()).isEmpty();

		send("/user state active");
		assertThat(send("back again")).isEqualTo(Outcome.ANSWERED);
	}

	@Test
	void anOversizeMessageIsRefusedAndNothingIsStored() {
		assertThat(send("x".repeat(2001))).isEqualTo(Outcome.REFUSED);
		assertThat(sink.notice().text()).contains("too long").contains("2000");
		assertThat(conversations.countSessionsFor(user())).isZero();
	}

	@Test
	void aMessageTooLongForTheModelsWindowIsKeptAndRefused() {
		send("/user model tiny");
		assertThat(send("word ".repeat(400))).isEqualTo(Outcome.REFUSED);
		assertThat(sink.of(ReplyEvent.AnswerFailed.class).getFirst().message()).contains("too long for tiny");
		Session session = conversations.sessionsFor(user(), 1, 0).getFirst();
		List<StoredMessage> kept = conversations.recentMessages(user().id(), session.id(), 10);
		assertThat(kept).extracting(StoredMessage::role).containsExactly(MessageRole.USER, MessageRole.ASSISTANT);
		assertThat(kept.getLast().state()).isEqualTo(AnswerState.REFUSED);
		assertThat(kept.getLast().note()).contains("too long for tiny");
	}

	@Test
	void aQuestionIsStoredWhenItArrivesBeforeAnyModelIsCalled() {
		Received received = assistant.receive(InboundMessage.text(me, "Tester", Place.direct("line"), "Keep me"));
		Exchange stored = ((Received.Asked) received).exchange();
		assertThat(stored.question().text()).isEqualTo("Keep me");
		assertThat(stored.answer().state()).isEqualTo(AnswerState.PENDING);
		assertThat(stored.answer().replyTo()).isEqualTo(stored.question().id());
		assertThat(conversations.messageCount(stored.session().id())).isEqualTo(2);
		// a later message of the same topic does not see the unanswered question
		assertThat(send("And me?")).isEqualTo(Outcome.ANSWERED);
		assertThat(sink.completed().text()).doesNotContain("I remember");

		assistant.answer(stored.answerId(), "line", sink);
		assertThat(conversations.message(stored.answerId()).orElseThrow().state()).isEqualTo(AnswerState.ANSWERED);
		// answering it again asks nothing and changes nothing
		sink.clear();
		assertThat(assistant.answer(stored.answerId(), "line", sink))
			.hasValueSatisfying(answer -> assertThat(answer.state()).isEqualTo(AnswerState.ANSWERED));
		assertThat(sink.events()).isEmpty();
	}

	@Test
	void whatDoesNotFitTheWindowIsLeftOutAndRecorded() {
		send("/user model tiny");
		for (int i = 1; i <= 8; i++) {
			send("Question number " + i + " about the weather in a few words.");
		}
		ReplyEvent.AnswerCompleted last = sink.completed();
		assertThat(last.exchange().session().model()).isEqualTo("tiny");
		int omitted = last.exchange().answer().answer().contextOmitted();
		assertThat(omitted).isPositive();
		assertThat(last.text()).doesNotContain("I remember 14 earlier messages");
		// the newest messages were kept, over more than one page, and the rest counted
		java.util.regex.Matcher remembered = java.util.regex.Pattern.compile("I remember (\\d+) earlier")
			.matcher(last.text());
		assertThat(remembered.find()).as(last.text()).isTrue();
		int kept = Integer.parseInt(remembered.group(1));
		assertThat(kept).isGreaterThan(3);
		assertThat(kept + omitted).isEqualTo(14);
	}

	@Test
	void anImageForAModelThatCannotReadImagesIsKeptAndRefused() throws Exception {
		send("/user model blind");
		MediaRef image = media.store(io.switchboard.storage.Images.png(4, 4));
		Outcome outcome = handle(new InboundMessage(me, "Tester", Place.direct("line"), List
			.of(new MessagePart.Image(image.sha256(), image.mimeType(), 4, 4), new MessagePart.Text("what is it?")),
				null));
		assertThat(outcome).isEqualTo(Outcome.REFUSED);
		assertThat(sink.notice().text()).contains("cannot read images").contains("demo");
		assertThat(sink.of(ReplyEvent.AnswerStarted.class)).isEmpty();
		Session session = conversations.sessionsFor(user(), 1, 0).getFirst();
		assertThat(conversations.recentMessages(user().id(), session.id(), 10).getLast().state())
			.isEqualTo(AnswerState.REFUSED);
	}

	@Test
	void anImageWithAQuestionReachesTheModelAsImageAndText() throws Exception {
		MediaRef image = media.store(io.switchboard.storage.Images.png(6, 2));
		Outcome outcome = handle(new InboundMessage(me, "Tester", Place.direct("line"), List
			.of(new MessagePart.Image(image.sha256(), image.mimeType(), 6, 2), new MessagePart.Text("what is it?")),
				null));
		assertThat(outcome).isEqualTo(Outcome.ANSWERED);
		assertThat(sink.completed().text()).contains("I received an image (image/png");
		assertThat(sink.completed().exchange().question().parts()).hasSize(2);
	}

	@Test
	void someoneElsesPrivateSessionIsRefusedAndNothingIsStored() {
		send("/session new Diary");
		Session diary = conversations.sessionsFor(user(), 1, 0).getFirst();
		PlatformUserId stranger = new PlatformUserId("line", "U" + UUID.randomUUID());
		Outcome outcome = handle(new InboundMessage(stranger, "Stranger", Place.direct("line"),
				List.of(new MessagePart.Text("let me in")), diary.id()));
		assertThat(outcome).isEqualTo(Outcome.REFUSED);
		assertThat(sink.notice().text()).contains("does not exist or is private");
		assertThat(conversations.messageCount(diary.id())).isZero();

		send(stranger, Place.direct("line"), "/session use " + diary.id());
		assertThat(sink.notice().text()).contains("does not exist or is private");
		send(stranger, Place.direct("line"), "/session rename Mine " + diary.id());
		assertThat(conversations.session(user().id(), diary.id()).title()).isEqualTo("Diary");
	}

	@Test
	void onlyTheOwnerChangesAPublicSession() {
		send(me, Place.group("line", "G7"), "/session new Team notes");
		Session team = conversations.sessionsFor(user(), 1, 0).getFirst();
		assertThat(team.isPublic()).isTrue();
		PlatformUserId colleague = new PlatformUserId("line", "U" + UUID.randomUUID());
		send(colleague, Place.group("line", "G7"), "/session use " + team.id());
		assertThat(send(colleague, Place.group("line", "G7"), "hello team")).isEqualTo(Outcome.ANSWERED);
		assertThat(sink.completed().exchange().session().id()).isEqualTo(team.id());
		send(colleague, Place.group("line", "G7"), "/session private");
		assertThat(sink.notice().text()).contains("Only the owner");
		send(colleague, Place.group("line", "G7"), "/session remove");
		assertThat(sink.notice().text()).contains("Only the owner");
		assertThat(conversations.session(user().id(), team.id()).isPublic()).isTrue();
	}

	@Test
	void removingASessionAsksForConfirmation() {
		send("keep this in mind");
		Session session = sink.completed().exchange().session();
		send("/session remove");
		Reply question = sink.notice();
		assertThat(question.text()).contains("Remove session " + session.id());
		assertThat(question.actions()).extracting(Reply.Action::command)
			.containsExactly("/session remove " + session.id() + " confirm",
					"/session remove " + session.id() + " cancel");
		assertThat(conversations.messageCount(session.id())).isEqualTo(2);
		send(question.actions().getFirst().command());
		assertThat(sink.notice().text()).contains("Removed session");
		send(question.actions().getFirst().command());
		assertThat(sink.notice().text()).contains("does not exist");
	}

	@Test
	void clearingAllSessionsNeedsAFreshConfirmation() {
		send("one");
		send("/session new two");
		send("/user clear confirm");
		assertThat(sink.notice().text()).contains("Nothing to confirm");
		assertThat(conversations.countSessionsFor(user())).isEqualTo(2);
		send("/user clear");
		assertThat(sink.notice().text()).contains("Remove all 2");
		send("/user clear cancel");
		send("/user clear confirm");
		assertThat(sink.notice().text()).contains("Nothing to confirm");
		send("/user clear");
		send("/user clear confirm");
		assertThat(sink.notice().text()).contains("Removed your 2 sessions");
		assertThat(conversations.countSessionsFor(user())).isZero();
	}

	@Test
	void anUnknownCommandIsAnsweredWithHelpAndChangesNothing() {
		assertThat(send("/frobnicate now")).isEqualTo(Outcome.COMMAND);
		assertThat(sink.notice().text()).startsWith("Unknown command `/frobnicate`").contains("/session new");
		send("/session dance");
		assertThat(sink.notice().text()).contains("Unknown command `/session dance`");
		assertThat(conversations.countSessionsFor(user())).isZero();
	}

	@Test
	void userSettingsAreShownAndValidated() {
		send("/user model nonsense");
		assertThat(sink.notice().text()).contains("Unknown model \"nonsense\"");
		send("/user maxtokens lots");
		assertThat(sink.notice().text()).contains("Usage");
		send("/user maxtokens 300");
		send("/user system Be brief.");
		send("/user showpublic on");
		send("/user info");
		assertThat(sink.notice().text()).contains("longest answer: 300 tokens")
			.contains("\"Be brief.\"")
			.contains("Show public sessions: on");
		assertThat(user().state()).isEqualTo(UserState.NEW);
	}

	@Test
	void modelsAreListedAndASessionsModelCanBeChanged() {
		send("hello");
		send("/models");
		assertThat(sink.notice().text()).contains("`demo`").contains("`blind`").contains("**this session**");
		send("/session model blind");
		assertThat(sink.notice().text()).contains("now uses blind");
		send("/session list");
		assertThat(sink.notice().text()).contains("blind");
	}

	@Test
	void imageModeNeedsAnImageProvider() {
		send("/mode");
		assertThat(sink.notice().text()).contains("**chat** mode");
		send("/mode sculpture");
		assertThat(sink.notice().text()).contains("Modes are");
	}

}
