package io.switchboard.storage;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.switchboard.channel.Inbound;
import io.switchboard.channel.Intake;
import io.switchboard.channel.Taken;
import io.switchboard.conversation.AnswerRecord;
import io.switchboard.conversation.ConversationException;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Exchange;
import io.switchboard.conversation.Fact;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.MessageRole;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.SessionChoice;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.conversation.Suspensions;
import io.switchboard.conversation.TopicSummary;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserRole;
import io.switchboard.conversation.UserState;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaRejected;
import io.switchboard.media.MediaStore;
import io.switchboard.usage.UsageLedger;
import io.switchboard.usage.UsagePurpose;
import io.switchboard.usage.UsageRow;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One suite of storage behaviour that must hold on every supported database: each
 * dialect's test extends it and points the application at its database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@ActiveProfiles("test")
abstract class StorageContract {

	@Autowired
	Conversations conversations;

	@Autowired
	MediaStore media;

	@Autowired
	UsageLedger usage;

	@Autowired
	Intake intake;

	@Test
	void platformEventsAreTakenInOnce() {
		String id = UUID.randomUUID().toString();
		assertThat(intake.take(Inbound.quiet("nowhere", id))).isInstanceOf(Taken.Accepted.class);
		assertThat(intake.take(Inbound.quiet("nowhere", id))).isInstanceOf(Taken.Duplicate.class);
		assertThat(intake.seen("nowhere", id)).isTrue();
		assertThat(intake.seen("nowhere", "other")).isFalse();
	}

	@Autowired
	Suspensions suspensions;

	@Test
	void aTopicsSummaryIsReplacedOnlyByOneThatReachesFurther() {
		User user = newUser("line");
		Session session = say(user, Place.direct("line"), "summarise me").session();
		assertThat(conversations.summary(session.id(), 1)).isEmpty();

		assertThat(conversations.saveSummary(session.id(), 1, 1, 10, "first ten", 4, "demo", 1)).isTrue();
		assertThat(conversations.saveSummary(session.id(), 1, 1, 10, "the same ten again", 5, "demo", 1)).isFalse();
		assertThat(conversations.saveSummary(session.id(), 1, 1, 8, "fewer", 2, "demo", 1)).isFalse();
		assertThat(conversations.saveSummary(session.id(), 1, 1, 20, "first twenty", 6, "demo", 2)).isTrue();
		assertThat(conversations.saveSummary(session.id(), 2, 1, 3, "another topic", 2, "demo", 1)).isTrue();

		TopicSummary summary = conversations.summary(session.id(), 1).orElseThrow();
		assertThat(summary.text()).isEqualTo("first twenty");
		assertThat(summary.throughSeq()).isEqualTo(20);
		assertThat(summary.tokenCount()).isEqualTo(6);
		assertThat(summary.steps()).isEqualTo(2);
		assertThat(conversations.summary(session.id(), 2).orElseThrow().text()).isEqualTo("another topic");
		// a summary's items never show as messages
		assertThat(conversations.contextPage(session.id(), 1, Integer.MAX_VALUE, 10)).hasSize(2);
	}

	@Test
	void rememberedFactsAreNumberedOldestFirstAndForgotten() {
		User user = newUser("line");
		User other = newUser("line");
		conversations.remember(user.id(), "I am vegetarian");
		conversations.remember(user.id(), "I live in  Osaka");
		conversations.remember(other.id(), "someone else's");

		assertThat(conversations.facts(user.id())).extracting(Fact::number, Fact::text)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(1, "I am vegetarian"),
					org.assertj.core.groups.Tuple.tuple(2, "I live in Osaka"));
		assertThat(conversations.forget(user.id(), 1).text()).isEqualTo("I am vegetarian");
		assertThat(conversations.facts(user.id())).extracting(Fact::number, Fact::text)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(1, "I live in Osaka"));
		assertThatThrownBy(() -> conversations.forget(user.id(), 2)).isInstanceOf(ConversationException.class);
		assertThat(conversations.forgetAll(user.id())).isEqualTo(1);
		assertThat(conversations.facts(user.id())).isEmpty();
		assertThat(conversations.facts(other.id())).hasSize(1);
	}

	@Test
	void anAdminSuspendsAndLiftsOnce() {
		User admin = conversations.createUser(new PlatformUserId("web", UUID.randomUUID().toString()), "Admin",
				UserRole.ADMIN);
		User user = newUser("line");
		assertThat(suspensions.isSuspended(user.id())).isFalse();

		suspensions.suspend(admin, user.id());
		suspensions.suspend(admin, user.id());
		assertThat(suspensions.isSuspended(user.id())).isTrue();
		assertThat(suspensions.isSuspended(admin.id())).isFalse();
		assertThatThrownBy(() -> suspensions.suspend(user, admin.id()))
			.isInstanceOf(ConversationException.NotAllowed.class);

		suspensions.lift(admin, user.id());
		assertThat(suspensions.isSuspended(user.id())).isFalse();
		// the user's own item is untouched
		assertThat(conversations.user(user.id()).displayName()).isEqualTo("Tester");
	}

	static final AnswerRecord ANSWER = new AnswerRecord("demo", "demo", 10, 5, 1234, 42, 0, "stop");

	User newUser(String platform) {
		return conversations.identify(new PlatformUserId(platform, UUID.randomUUID().toString()), "Tester");
	}

	Exchange say(User user, Place place, String text) {
		User fresh = conversations.user(user.id());
		SessionChoice choice = conversations.chooseSession(fresh, place, null, text);
		return conversations.recordExchange(fresh, choice, List.of(new MessagePart.Text(text)), 7, "answer to " + text,
				5, ANSWER);
	}

	@Test
	void anIdentityIsOneUserAcrossVisits() {
		PlatformUserId identity = new PlatformUserId("line", "U" + UUID.randomUUID());
		User first = conversations.identify(identity, "Mei");
		User again = conversations.identify(identity, "Mei Lin");
		assertThat(again.id()).isEqualTo(first.id());
		assertThat(again.displayName()).isEqualTo("Mei");
		assertThat(first.state()).isEqualTo(UserState.NEW);
		assertThat(first.attachNewSessions()).isTrue();
		assertThat(first.showPublicSessions()).isFalse();
		assertThat(conversations.identify(new PlatformUserId("discord", identity.id()), "Mei").id())
			.isNotEqualTo(first.id());
	}

	@Test
	void concurrentFirstMessagesOfOnePersonMakeOneUser() throws Exception {
		PlatformUserId identity = new PlatformUserId("slack", "U" + UUID.randomUUID());
		try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
			List<Future<User>> users = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				users.add(pool.submit(() -> conversations.identify(identity, "Kim")));
			}
			Set<Long> ids = new HashSet<>();
			for (Future<User> user : users) {
				ids.add(user.get().id().value());
			}
			assertThat(ids).hasSize(1);
		}
	}

	@Test
	void aFirstMessageStartsASessionTitledFromItAndAttachesIt() {
		User user = newUser("line");
		Exchange exchange = say(user, Place.direct("line"), "How do tides work near the equator?\nsecond line");
		Session session = exchange.session();
		assertThat(session.title()).isEqualTo("How do tides work near the equator?");
		assertThat(session.isPublic()).isFalse();
		assertThat(session.owner()).isEqualTo(user.id());
		User after = conversations.user(user.id());
		assertThat(after.state()).isEqualTo(UserState.ACTIVE);
		assertThat(after.currentSession()).isEqualTo(session.id());
		assertThat(exchange.question().seq()).isEqualTo(1);
		assertThat(exchange.answer().seq()).isEqualTo(2);
		assertThat(exchange.answer().answer()).isEqualTo(ANSWER);
		assertThat(exchange.question().role()).isEqualTo(MessageRole.USER);
		assertThat(exchange.question().author()).isEqualTo(user.id());
		assertThat(exchange.question().tokenCount()).isEqualTo(7);

		Exchange next = say(user, Place.direct("line"), "and at the poles?");
		assertThat(next.session().id()).isEqualTo(session.id());
		assertThat(next.question().seq()).isEqualTo(3);
	}

	@Test
	void withoutAttachEveryMessageInStateNewStartsItsOwnSession() {
		User user = newUser("slack");
		conversations.setAttachNewSessions(user.id(), false);
		Session first = say(user, Place.direct("slack"), "one").session();
		Session second = say(user, Place.direct("slack"), "two").session();
		assertThat(second.id()).isNotEqualTo(first.id());
		assertThat(conversations.user(user.id()).state()).isEqualTo(UserState.NEW);
	}

	@Test
	void sessionsStartPublicInGroupsAndPrivateElsewhere() {
		User user = newUser("discord");
		Session inGroup = conversations.createSession(user.id(), Place.group("discord", "channel-1"), "Group talk",
				false);
		Session inDm = conversations.createSession(user.id(), Place.direct("discord"), null, false);
		assertThat(inGroup.isPublic()).isTrue();
		assertThat(inGroup.origin().space()).isEqualTo("channel-1");
		assertThat(inDm.isPublic()).isFalse();
		assertThat(inDm.title()).isEqualTo("New session");
	}

	@Test
	void aPrivateSessionAnswersOnlyItsOwnerAndOnlyTheOwnerChangesOne() {
		User owner = newUser("discord");
		User other = newUser("discord");
		Session session = conversations.createSession(owner.id(), Place.direct("discord"), "Secret plans", true);
		assertThatThrownBy(() -> conversations.session(other.id(), session.id()))
			.isInstanceOf(ConversationException.NotFound.class);
		assertThatThrownBy(() -> conversations.chooseSession(other, Place.direct("discord"), session.id(), "hi"))
			.isInstanceOf(ConversationException.NotFound.class);

		conversations.setSessionPublic(owner.id(), session.id(), true);
		assertThat(conversations.session(other.id(), session.id()).isPublic()).isTrue();
		assertThatThrownBy(() -> conversations.renameSession(other.id(), session.id(), "mine now"))
			.isInstanceOf(ConversationException.NotAllowed.class);
		assertThatThrownBy(() -> conversations.removeSession(other.id(), session.id()))
			.isInstanceOf(ConversationException.NotAllowed.class);
		assertThat(conversations.renameSession(owner.id(), session.id(), "Open plans").title()).isEqualTo("Open plans");

		// someone using it as their current session is refused once it turns private
		// again
		conversations.useSession(other.id(), session.id());
		conversations.setSessionPublic(owner.id(), session.id(), false);
		assertThatThrownBy(() -> conversations.chooseSession(conversations.user(other.id()), Place.direct("discord"),
				null, "hello?"))
			.isInstanceOf(ConversationException.NotAllowed.class);
	}

	@Test
	void aNewTopicStartsAnEmptyContextAndKeepsTheHistory() {
		User user = newUser("web");
		Session session = say(user, Place.direct("line"), "first").session();
		say(user, Place.direct("line"), "second");
		assertThat(conversations.contextPage(session.id(), 1, Integer.MAX_VALUE, 10)).hasSize(4);

		Session renewed = conversations.startNewTopic(user.id(), session.id());
		assertThat(renewed.currentTopic()).isEqualTo(2);
		assertThat(conversations.contextPage(session.id(), 2, Integer.MAX_VALUE, 10)).isEmpty();
		Exchange third = say(user, Place.direct("line"), "third");
		assertThat(third.question().topic()).isEqualTo(2);
		assertThat(third.question().seq()).isEqualTo(1);
		assertThat(conversations.messageCount(session.id())).isEqualTo(6);
		assertThat(conversations.recentMessages(user.id(), session.id(), 10)).extracting(StoredMessage::text)
			.containsExactly("first", "answer to first", "second", "answer to second", "third", "answer to third");
	}

	@Test
	void contextPagesReadNewestFirstAndStopAtTheirLimit() {
		User user = newUser("web");
		Session session = say(user, Place.direct("line"), "m1").session();
		for (int i = 2; i <= 10; i++) {
			say(user, Place.direct("line"), "m" + i);
		}
		List<StoredMessage> page = conversations.contextPage(session.id(), 1, Integer.MAX_VALUE, 3);
		assertThat(page).extracting(StoredMessage::seq).containsExactly(20, 19, 18);
		List<StoredMessage> older = conversations.contextPage(session.id(), 1, 18, 3);
		assertThat(older).extracting(StoredMessage::seq).containsExactly(17, 16, 15);
	}

	@Test
	void concurrentExchangesInOneSessionNeverCollide() throws Exception {
		User user = newUser("slack");
		Session session = conversations.createSession(user.id(), Place.group("slack", "C1"), "busy", true);
		User author = conversations.user(user.id());
		try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
			List<Future<Exchange>> exchanges = new ArrayList<>();
			for (int i = 0; i < 24; i++) {
				int n = i;
				exchanges.add(pool.submit(() -> conversations.recordExchange(author,
						new SessionChoice.Existing(conversations.session(author.id(), session.id())),
						List.of(new MessagePart.Text("q" + n)), 3, "a" + n, 3, ANSWER)));
			}
			for (Future<Exchange> exchange : exchanges) {
				exchange.get();
			}
		}
		List<StoredMessage> all = conversations.contextPage(session.id(), 1, Integer.MAX_VALUE, 100);
		assertThat(all).hasSize(48);
		assertThat(all).extracting(StoredMessage::seq).doesNotHaveDuplicates();
		// every question is directly followed by its own answer
		for (StoredMessage message : all) {
			if (message.role() == MessageRole.ASSISTANT) {
				StoredMessage question = all.stream()
					.filter(m -> m.seq() == message.seq() - 1)
					.findFirst()
					.orElseThrow();
				assertThat(message.text().substring(1)).isEqualTo(question.text().substring(1));
			}
		}
	}

	@Test
	void threadsAreSessionsOfTheirOwn() {
		User user = newUser("slack");
		Place thread = Place.group("slack", "C42").inThread("1700000000.000100");
		Session first = say(user, thread, "in the thread").session();
		assertThat(first.origin().thread()).isEqualTo("1700000000.000100");
		assertThat(first.isPublic()).isTrue();
		assertThat(say(user, thread, "again").session().id()).isEqualTo(first.id());
		Session other = say(user, Place.group("slack", "C42").inThread("1700000000.000200"), "elsewhere").session();
		assertThat(other.id()).isNotEqualTo(first.id());
		// a thread session never becomes the user's current one
		assertThat(conversations.user(user.id()).currentSession()).isNull();
	}

	@Test
	void removingASessionRemovesItsMessagesAndForgetsItAsCurrent() {
		User user = newUser("line");
		Session session = say(user, Place.direct("line"), "remember me").session();
		conversations.removeSession(user.id(), session.id());
		assertThatThrownBy(() -> conversations.session(user.id(), session.id()))
			.isInstanceOf(ConversationException.NotFound.class);
		assertThat(conversations.contextPage(session.id(), 1, Integer.MAX_VALUE, 10)).isEmpty();
		assertThat(conversations.user(user.id()).currentSession()).isNull();
	}

	@Test
	void clearingRemovesOnlyTheUsersOwnSessions() {
		User user = newUser("slack");
		User other = newUser("slack");
		say(user, Place.direct("slack"), "a");
		conversations.createSession(user.id(), Place.direct("slack"), "b", false);
		Session theirs = conversations.createSession(other.id(), Place.group("slack", "g"), "theirs", false);
		assertThat(conversations.clearSessions(user.id())).isEqualTo(2);
		assertThat(conversations.countSessionsFor(conversations.user(user.id()))).isZero();
		assertThat(conversations.session(other.id(), theirs.id())).isNotNull();
		assertThat(conversations.user(user.id()).state()).isEqualTo(UserState.NEW);
	}

	@Test
	void sessionListsIncludePublicOnesOnlyWhenAsked() {
		User me = newUser("discord");
		User other = newUser("discord");
		conversations.createSession(me.id(), Place.direct("discord"), "mine", false);
		Session shared = conversations.createSession(other.id(), Place.group("discord", "g"), "shared", false);
		assertThat(conversations.sessionsFor(conversations.user(me.id()), 100, 0)).extracting(Session::title)
			.containsExactly("mine");
		conversations.setShowPublicSessions(me.id(), true);
		assertThat(conversations.sessionsFor(conversations.user(me.id()), 100, 0)).extracting(Session::id)
			.contains(shared.id());
	}

	@Test
	void settingsAreValidatedAndStampTheModifiedTime() {
		User user = newUser("web");
		assertThatThrownBy(() -> conversations.setDefaultModel(user.id(), "no-such-model"))
			.isInstanceOf(ConversationException.Invalid.class)
			.hasMessageContaining("no-such-model");
		assertThatThrownBy(() -> conversations.setMaxOutputTokens(user.id(), 3))
			.isInstanceOf(ConversationException.Invalid.class);
		User updated = conversations.setMaxOutputTokens(user.id(), 256);
		assertThat(updated.maxOutputTokens()).isEqualTo(256);
		assertThat(conversations.setMaxOutputTokens(user.id(), null).maxOutputTokens()).isNull();
		assertThat(conversations.setDefaultSystemPrompt(user.id(), "  Be brief.  ").defaultSystemPrompt())
			.isEqualTo("Be brief.");
		assertThat(updated.modifiedAt()).isAfterOrEqualTo(user.modifiedAt());
	}

	@Test
	void proposedFactsWaitApartFromOtherConfirmationsAndAreAnsweredOnce() {
		User user = newUser("slack");
		conversations.requestConfirmation(user.id(), "user-clear", "");
		List<io.switchboard.conversation.FactSuggestion> made = conversations.suggestFacts(user.id(),
				List.of("I am vegetarian", "I live in Lyon", "i am VEGETARIAN"));
		assertThat(made).extracting(io.switchboard.conversation.FactSuggestion::text)
			.containsExactly("I am vegetarian", "I live in Lyon");
		assertThat(conversations.factSuggestions(user.id())).containsExactlyInAnyOrderElementsOf(made);
		// what waits is not proposed again
		assertThat(conversations.suggestFacts(user.id(), List.of("I live in Lyon"))).isEmpty();

		assertThat(conversations.declineSuggestion(user.id(), made.get(1).code())).isTrue();
		assertThat(conversations.declineSuggestion(user.id(), made.get(1).code())).isFalse();
		assertThat(conversations.factSuggestions(user.id())).containsExactly(made.get(0));
		assertThat(conversations.acceptSuggestion(user.id(), "00000000")).isEmpty();
		// the other confirmation still waits
		assertThat(conversations.confirm(user.id(), "user-clear", "")).isTrue();
		assertThat(conversations.factSuggestions(user.id())).containsExactly(made.get(0));

		// confirmed: remembered once, and no longer waiting; a second confirmation finds
		// nothing and remembers nothing more
		assertThat(conversations.acceptSuggestion(user.id(), made.get(0).code()))
			.hasValueSatisfying(facts -> assertThat(facts).extracting(Fact::text).containsExactly("I am vegetarian"));
		assertThat(conversations.acceptSuggestion(user.id(), made.get(0).code())).isEmpty();
		assertThat(conversations.factSuggestions(user.id())).isEmpty();
		assertThat(conversations.facts(user.id())).extracting(Fact::text).containsExactly("I am vegetarian");
		// what is remembered is not proposed again; the declined one may be
		assertThat(conversations.suggestFacts(user.id(), List.of("I am vegetarian", "I live in Lyon")))
			.extracting(io.switchboard.conversation.FactSuggestion::text)
			.containsExactly("I live in Lyon");
	}

	@Test
	void confirmationsAreSingleUseAndMustMatch() {
		User user = newUser("line");
		assertThat(conversations.confirm(user.id(), "user-clear", "")).isFalse();
		conversations.requestConfirmation(user.id(), "session-remove", "12");
		assertThat(conversations.confirm(user.id(), "session-remove", "13")).isFalse();
		assertThat(conversations.confirm(user.id(), "session-remove", "12")).isTrue();
		assertThat(conversations.confirm(user.id(), "session-remove", "12")).isFalse();
	}

	@Test
	void imagesAreStoredOnceByContentAndOnlyRealImagesAreAccepted() throws IOException {
		byte[] png = Images.png(7, 5);
		MediaRef ref = media.store(png);
		assertThat(ref.mimeType()).isEqualTo("image/png");
		assertThat(ref.width()).isEqualTo(7);
		assertThat(ref.height()).isEqualTo(5);
		assertThat(ref.sha256()).hasSize(64);
		assertThat(media.store(png)).isEqualTo(ref);
		assertThat(media.load(ref.sha256())).hasValueSatisfying(stored -> assertThat(stored.bytes()).isEqualTo(png));
		assertThatThrownBy(() -> media.store("%PDF-1.7 not an image".getBytes())).isInstanceOf(MediaRejected.class)
			.hasMessageContaining("not an image");
	}

	@Test
	void messagePartsKeepTheirImages() throws IOException {
		User user = newUser("line");
		MediaRef image = media.store(Images.png(3, 3));
		User fresh = conversations.user(user.id());
		List<MessagePart> parts = List.of(new MessagePart.Image(image.sha256(), image.mimeType(), 3, 3),
				new MessagePart.Text("what is this?"));
		Exchange exchange = conversations.recordExchange(fresh,
				conversations.chooseSession(fresh, Place.direct("line"), null, "what is this?"), parts, 100, "a square",
				4, ANSWER);
		assertThat(exchange.question().parts()).isEqualTo(parts);
	}

	@Test
	void theUsageLedgerSumsPerUserModelAndDay() {
		User user = newUser("web");
		Instant day = Instant.parse("2026-11-20T10:15:30Z");
		usage.record(user.id().value(), "gpt-x", 100, 20, 500, day);
		usage.record(user.id().value(), "gpt-x", 50, 10, 250, day.plusSeconds(3600));
		usage.record(user.id().value(), "other", 1, 1, 1, day);
		usage.record(user.id().value(), "gpt-x", 5, 5, 5, day.plusSeconds(86_400));
		List<UsageRow> rows = usage.forUser(user.id().value(), LocalDate.parse("2026-11-20"),
				LocalDate.parse("2026-11-20"));
		assertThat(rows).containsExactly(
				new UsageRow(user.id().value(), "gpt-x", LocalDate.parse("2026-11-20"), 2, 150, 30, 750),
				new UsageRow(user.id().value(), "other", LocalDate.parse("2026-11-20"), 1, 1, 1, 1));
	}

	@Test
	void theLedgerKeepsPurposesApartWithCachedTokensAndAudioSeconds() {
		long user = newUser("web").id().value();
		Instant at = Instant.parse("2026-11-21T08:00:00Z");
		LocalDate day = LocalDate.parse("2026-11-21");
		usage.record(user, "gpt-x", UsagePurpose.CHAT, 100, 20, 60, 500, at);
		usage.record(user, "gpt-x", UsagePurpose.SUMMARY, 300, 40, 0, 900, at);
		usage.record(user, "gpt-x", UsagePurpose.SUMMARY, 100, 10, 50, 100, at.plusSeconds(60));
		usage.recordAudio(user, "whisper", 12, 7, at);
		usage.recordAudio(user, "whisper", 3, 2, at.plusSeconds(60));
		usage.recordAudio(user, "whisper", 99, 2, at.plusSeconds(86_400));
		assertThat(usage.forUser(user, day, day)).containsExactly(
				new UsageRow(user, "gpt-x", day, UsagePurpose.CHAT, 1, 100, 20, 60, 500),
				new UsageRow(user, "gpt-x", day, UsagePurpose.SUMMARY, 2, 400, 50, 50, 1000),
				new UsageRow(user, "whisper", day, UsagePurpose.CHAT, 2, 0, 0, 0, 9));
		assertThat(usage.audioSeconds(user, day)).isEqualTo(15);
		assertThat(usage.audioSeconds(user, day.plusDays(1))).isEqualTo(99);
		assertThat(usage.audioSeconds(user, day.minusDays(1))).isZero();
	}

	@Test
	void aUsersIdentityOnAPlatformIsFoundFromTheUser() {
		PlatformUserId identity = new PlatformUserId("line", "U" + UUID.randomUUID());
		User user = conversations.identify(identity, "Ana");
		assertThat(conversations.identityOn(user.id(), "line")).contains(identity);
		assertThat(conversations.identityOn(user.id(), "slack")).isEmpty();
		assertThat(conversations.identityOn(newUser("line").id(), "line"))
			.isNotEqualTo(java.util.Optional.of(identity));
	}

	@Test
	void anAnswerKeepsItsToolPartsAndCachedTokens() {
		User user = conversations.user(newUser("web").id());
		Exchange asked = conversations.ask(user, conversations.chooseSession(user, Place.direct("web"), null, "time?"),
				List.of(new MessagePart.Text("time?")), 3, null);
		List<MessagePart> tools = List.of(new MessagePart.ToolCall("c1", "date_time", "{\"zone\":\"UTC\"}"),
				new MessagePart.ToolResult("c1", "date_time", "12:00", false, null));
		AnswerRecord cached = new AnswerRecord("demo", "demo", 100, 5, 1234, 42, 0, "stop", 80);
		StoredMessage answer = conversations.answer(asked.answerId(), tools, "noon", 2, cached).orElseThrow();
		assertThat(answer.parts()).containsExactly(tools.get(0), tools.get(1), new MessagePart.Text("noon"));
		assertThat(conversations.message(asked.answerId()).orElseThrow().answer()).isEqualTo(cached);
	}

	@Test
	void everyonesUsageIsReadByDayModelUserAndPurpose() {
		long first = newUser("web").id().value();
		long second = newUser("web").id().value();
		Instant at = Instant.parse("2026-10-05T12:00:00Z");
		LocalDate day = LocalDate.parse("2026-10-05");
		usage.record(second, "b-model", 10, 1, 100, at);
		usage.record(first, "b-model", UsagePurpose.SUMMARY, 20, 2, 5, 200, at);
		usage.record(first, "b-model", 30, 3, 300, at);
		usage.record(second, "a-model", 40, 4, 400, at.plusSeconds(86_400));
		usage.record(first, "a-model", 50, 5, 500, at.minusSeconds(86_400));
		assertThat(usage.forEveryone(day, day.plusDays(1)))
			.filteredOn(row -> row.userId() == first || row.userId() == second)
			.containsExactly(new UsageRow(first, "b-model", day, 1, 30, 3, 300),
					new UsageRow(first, "b-model", day, UsagePurpose.SUMMARY, 1, 20, 2, 5, 200),
					new UsageRow(second, "b-model", day, 1, 10, 1, 100),
					new UsageRow(second, "a-model", day.plusDays(1), 1, 40, 4, 400));
	}

}
