package io.switchboard.conversation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.switchboard.llm.ModelCatalog;
import io.switchboard.storage.StorageProperties;
import io.switchboard.storage.StorageType;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Users, sessions, topics and messages, and the rules of who may do what with them. Every
 * channel goes through here, so the rules hold the same on every platform:
 * <ul>
 * <li>a session created in a group or channel starts public, anywhere else private;</li>
 * <li>anyone may read and chat in a public session; a private one answers only its
 * owner;</li>
 * <li>only the owner changes or removes a session;</li>
 * <li>a user in state {@code new} starts a session with their next message,
 * {@code active} continues the current one, {@code disabled} is not answered.</li>
 * </ul>
 */
@Service
public class Conversations {

	private static final int MAX_SEQ_RETRIES = 5;

	/** Where reads made at the same time as others run: a virtual thread each. */
	private static final java.util.concurrent.Executor READS = java.util.concurrent.Executors
		.newVirtualThreadPerTaskExecutor();

	private final UserStorage users;

	private final SessionStorage sessions;

	private final MessageStorage messages;

	private final ConfirmationStorage confirmations;

	private final SummaryStorage summaries;

	private final MemoryStorage memories;

	private final MemoryProperties memory;

	private final PartsCodec parts;

	private final ModelCatalog models;

	private final ConversationProperties properties;

	private final TransactionTemplate transactions;

	private final Clock clock;

	/**
	 * Whether reads that do not depend on each other are made at the same time: on
	 * DynamoDB each is a request over the network; an SQL store reads one after another.
	 */
	private final boolean readsTogether;

	Conversations(UserStorage users, SessionStorage sessions, MessageStorage messages,
			ConfirmationStorage confirmations, SummaryStorage summaries, MemoryStorage memories,
			MemoryProperties memory, PartsCodec parts, ModelCatalog models, ConversationProperties properties,
			TransactionTemplate transactions, Clock clock, StorageProperties storage) {
		this.readsTogether = storage.type() == StorageType.DYNAMODB;
		this.users = users;
		this.sessions = sessions;
		this.messages = messages;
		this.confirmations = confirmations;
		this.summaries = summaries;
		this.memories = memories;
		this.memory = memory;
		this.parts = parts;
		this.models = models;
		this.properties = properties;
		this.transactions = transactions;
		this.clock = clock;
	}

	// ----------------------------------------------------------------- users

	/**
	 * The user behind a platform identity, created on first contact as the identity's
	 * platform starts new users (state, attach, answer length).
	 */
	public User identify(PlatformUserId identity, String displayName) {
		Optional<User> known = users.findByIdentity(identity);
		if (known.isPresent()) {
			return known.get();
		}
		String name = displayName == null || displayName.isBlank() ? identity.id() : displayName.strip();
		try {
			return transactions.execute(status -> {
				Instant now = clock.instant();
				UserId id = users.insert(name, UserRole.MEMBER, properties.newUsersOn(identity.platform()), now);
				if (properties.showPublicSessions()) {
					users.updateSetting(id, UserStore.Setting.SHOW_PUBLIC_SESSIONS, true, now);
				}
				users.insertIdentity(identity, id, name, now);
				return users.find(id).orElseThrow();
			});
		}
		catch (DuplicateKeyException raced) {
			// another message of the same person created them a moment ago
			return users.findByIdentity(identity).orElseThrow(() -> raced);
		}
	}

	/**
	 * Creates a user with an identity, e.g. for a web account; the caller picks the role.
	 */
	public User createUser(PlatformUserId identity, String displayName, UserRole role) {
		return transactions.execute(status -> {
			Instant now = clock.instant();
			UserId id = users.insert(displayName, role, properties.newUsersOn(identity.platform()), now);
			users.insertIdentity(identity, id, displayName, now);
			return users.find(id).orElseThrow();
		});
	}

	public Optional<User> findUser(UserId id) {
		return users.find(id);
	}

	/** How a platform knows the user, when the user has written there. */
	public Optional<PlatformUserId> identityOn(UserId id, String platform) {
		return users.identityOn(id, platform);
	}

	public Optional<User> findUser(PlatformUserId identity) {
		return users.findByIdentity(identity);
	}

	public User user(UserId id) {
		return users.find(id).orElseThrow(() -> new ConversationException.NotFound("No such user."));
	}

	/** Every user, oldest first, a page at a time (for admins). */
	public List<User> users(int limit, int offset) {
		return users.list(limit, offset);
	}

	public long userCount() {
		return users.count();
	}

	public User setDefaultModel(UserId id, String model) {
		requireModel(model);
		return setUser(id, UserStore.Setting.DEFAULT_MODEL, model);
	}

	public User setDefaultSystemPrompt(UserId id, String systemPrompt) {
		return setUser(id, UserStore.Setting.DEFAULT_SYSTEM_PROMPT, blankToNull(systemPrompt));
	}

	/** Sets the longest answer the user wants; {@code null} means the model's default. */
	public User setMaxOutputTokens(UserId id, Integer maxOutputTokens) {
		if (maxOutputTokens != null && (maxOutputTokens < ConversationProperties.MIN_ANSWER_TOKENS
				|| maxOutputTokens > ConversationProperties.MAX_ANSWER_TOKENS)) {
			throw new ConversationException.Invalid(
					"Max tokens must be between " + ConversationProperties.MIN_ANSWER_TOKENS + " and "
							+ ConversationProperties.MAX_ANSWER_TOKENS + ".");
		}
		return setUser(id, UserStore.Setting.MAX_OUTPUT_TOKENS, maxOutputTokens);
	}

	public User setState(UserId id, UserState state) {
		return setUser(id, UserStore.Setting.STATE, state.dbValue());
	}

	public User setMode(UserId id, ChatMode mode) {
		return setUser(id, UserStore.Setting.MODE, mode.name().toLowerCase(java.util.Locale.ROOT));
	}

	public User setShowPublicSessions(UserId id, boolean show) {
		return setUser(id, UserStore.Setting.SHOW_PUBLIC_SESSIONS, show);
	}

	public User setAttachNewSessions(UserId id, boolean attach) {
		return setUser(id, UserStore.Setting.ATTACH_NEW_SESSIONS, attach);
	}

	public User setRole(UserId id, UserRole role) {
		return setUser(id, UserStore.Setting.ROLE, role.name().toLowerCase(java.util.Locale.ROOT));
	}

	public User rename(UserId id, String displayName) {
		if (displayName == null || displayName.isBlank()) {
			throw new ConversationException.Invalid("A name must not be empty.");
		}
		return setUser(id, UserStore.Setting.DISPLAY_NAME, displayName.strip());
	}

	/** Removes every session the user owns, with their messages. */
	public int clearSessions(UserId id) {
		return transactions.execute(status -> {
			List<SessionId> owned = sessions.owned(id);
			for (SessionId session : owned) {
				users.detachSession(session);
				sessions.delete(session);
			}
			users.setCurrentSession(id, null,
					user(id).state() == UserState.DISABLED ? UserState.DISABLED : UserState.NEW, clock.instant());
			return owned.size();
		});
	}

	private User setUser(UserId id, UserStore.Setting setting, Object value) {
		user(id);
		users.updateSetting(id, setting, value, clock.instant());
		return user(id);
	}

	// ------------------------------------------------------ confirmations

	/**
	 * Remembers that the user asked for a destructive action that needs a confirmation.
	 */
	public void requestConfirmation(UserId user, String action, String argument) {
		confirmations.put(user, action, argument, clock.instant().plus(properties.confirmationTimeout()));
	}

	/**
	 * Whether a matching, unexpired confirmation was pending; it is used up either way.
	 */
	public boolean confirm(UserId user, String action, String argument) {
		return confirmations.take(user, action, argument, clock.instant());
	}

	public void cancelConfirmation(UserId user, String action) {
		confirmations.cancel(user, action);
	}

	// ------------------------------------------------------------------ memory

	/** The facts a user asked to be remembered, oldest first, numbered from 1. */
	public List<Fact> facts(UserId user) {
		return memories.list(user);
	}

	/**
	 * Remembers a fact for the user: it goes into the system prompt of their turns from
	 * now on, on every platform.
	 * @throws ConversationException.Invalid when it is empty, too long, or the list is
	 * full; nothing is stored then
	 */
	public List<Fact> remember(UserId user, String fact) {
		String text = fact == null ? "" : fact.strip().replaceAll("\\s+", " ");
		if (text.isEmpty()) {
			throw new ConversationException.Invalid("Usage: `/remember <fact>`, e.g. `/remember I am vegetarian`.");
		}
		if (text.length() > memory.maxFactChars()) {
			throw new ConversationException.Invalid("A fact may have at most " + memory.maxFactChars()
					+ " characters; this one has " + text.length() + ". Nothing was remembered.");
		}
		return transactions.execute(status -> {
			user(user);
			if (memories.count(user) >= memory.maxFacts()) {
				throw new ConversationException.Invalid("You already keep " + memory.maxFacts()
						+ " facts, the most there may be. Remove one with `/forget <n>` first (see `/memory`).");
			}
			memories.add(user, text, clock.instant());
			return memories.list(user);
		});
	}

	// ------------------------------------------------------ suggested facts

	private static final String SUGGESTION = "suggest:";

	/** At most this many proposed facts wait for a user at once. */
	static final int MAX_SUGGESTIONS = 5;

	/**
	 * Keeps facts the summary model proposed for the user, to be confirmed: those not
	 * remembered or proposed already, at most {@value #MAX_SUGGESTIONS} waiting at once,
	 * each cut to the longest fact allowed.
	 * @return the new proposals, to show the user with their buttons
	 */
	public List<FactSuggestion> suggestFacts(UserId user, List<String> facts) {
		java.util.Set<String> known = new java.util.HashSet<>();
		memories.list(user).forEach(fact -> known.add(fact.text().toLowerCase(java.util.Locale.ROOT)));
		java.util.SortedMap<String, String> waiting = confirmations.pending(user, SUGGESTION, clock.instant());
		waiting.values().forEach(text -> known.add(text.toLowerCase(java.util.Locale.ROOT)));
		int room = MAX_SUGGESTIONS - waiting.size();
		List<FactSuggestion> added = new ArrayList<>();
		for (String raw : facts) {
			String text = raw == null ? "" : raw.strip().replaceAll("\\s+", " ");
			if (text.isEmpty() || added.size() >= room || !known.add(text.toLowerCase(java.util.Locale.ROOT))) {
				continue;
			}
			if (text.length() > memory.maxFactChars()) {
				text = text.substring(0, memory.maxFactChars() - 1) + "…";
			}
			FactSuggestion suggestion = new FactSuggestion(suggestionCode(text), text);
			confirmations.put(user, SUGGESTION + suggestion.code(), text,
					clock.instant().plus(memory.suggestionTimeout()));
			added.add(suggestion);
		}
		return added;
	}

	/** The facts proposed for the user that wait for a confirmation. */
	public List<FactSuggestion> factSuggestions(UserId user) {
		return confirmations.pending(user, SUGGESTION, clock.instant())
			.entrySet()
			.stream()
			.map(entry -> new FactSuggestion(entry.getKey().substring(SUGGESTION.length()), entry.getValue()))
			.toList();
	}

	/**
	 * Remembers a proposed fact the user confirmed (once: a second press finds nothing).
	 * @return the user's facts now, or empty when no such proposal waits
	 * @throws ConversationException.Invalid when the memory is full; the proposal stays
	 */
	public Optional<List<Fact>> acceptSuggestion(UserId user, String code) {
		String text = confirmations.pending(user, SUGGESTION + code, clock.instant()).get(SUGGESTION + code);
		if (text == null) {
			return Optional.empty();
		}
		if (memories.count(user) >= memory.maxFacts()) {
			remember(user, text); // throws the memory-full message, changing nothing
		}
		if (!confirmations.take(user, SUGGESTION + code, text, clock.instant())) {
			return Optional.empty();
		}
		return Optional.of(remember(user, text));
	}

	/** Drops a proposed fact; false when none waited under that code. */
	public boolean declineSuggestion(UserId user, String code) {
		boolean waited = confirmations.pending(user, SUGGESTION + code, clock.instant()).containsKey(SUGGESTION + code);
		confirmations.cancel(user, SUGGESTION + code);
		return waited;
	}

	private static String suggestionCode(String text) {
		try {
			byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
				.digest(text.toLowerCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8));
			return java.util.HexFormat.of().formatHex(hash, 0, 4);
		}
		catch (java.security.NoSuchAlgorithmException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	/**
	 * Forgets the user's fact numbered {@code number} (as {@link #facts} numbers them).
	 * @return the fact forgotten
	 * @throws ConversationException.Invalid when there is no such number; nothing changes
	 */
	public Fact forget(UserId user, int number) {
		return transactions.execute(status -> {
			List<Fact> facts = memories.list(user);
			if (number < 1 || number > facts.size()) {
				throw new ConversationException.Invalid(
						facts.isEmpty() ? "You have no remembered facts." : "There is no fact " + number
								+ ": your facts are numbered 1 to " + facts.size() + " (see `/memory`).");
			}
			Fact fact = facts.get(number - 1);
			memories.delete(user, fact.id());
			return fact;
		});
	}

	/** Forgets every fact of the user; returns how many there were. */
	public int forgetAll(UserId user) {
		return memories.deleteAll(user);
	}

	// ------------------------------------------------------------- summaries

	/**
	 * What a turn's context says besides its messages: the asker's remembered facts (none
	 * without an asker) and the running summary of the topic.
	 */
	public record ContextNotes(List<Fact> facts, Optional<TopicSummary> summary) {
	}

	/**
	 * The {@link ContextNotes} of a question: two reads that do not depend on each other,
	 * the summary's on a virtual thread of its own while the facts are read, where the
	 * store is DynamoDB.
	 */
	public ContextNotes contextNotes(UserId asker, SessionId session, int topic) {
		if (asker == null) {
			return new ContextNotes(List.of(), summary(session, topic));
		}
		if (!readsTogether) {
			return new ContextNotes(facts(asker), summary(session, topic));
		}
		CompletableFuture<Optional<TopicSummary>> summary = CompletableFuture.supplyAsync(() -> summary(session, topic),
				READS);
		List<Fact> facts = facts(asker);
		try {
			return new ContextNotes(facts, summary.join());
		}
		catch (java.util.concurrent.CompletionException failed) {
			if (failed.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw failed;
		}
	}

	/** The running summary of a session's topic, if it was ever compacted. */
	public Optional<TopicSummary> summary(SessionId session, int topic) {
		return summaries.find(session, topic);
	}

	/**
	 * Stores a topic's new running summary, which tells its messages {@code fromSeq} to
	 * {@code throughSeq}; false (and nothing changes) when the stored one already reaches
	 * as far, as after a concurrent compaction.
	 */
	public boolean saveSummary(SessionId session, int topic, int fromSeq, int throughSeq, String text, int tokenCount,
			String model, int steps) {
		return summaries.save(session, topic, fromSeq, throughSeq, text, tokenCount, model, steps, clock.instant());
	}

	// ---------------------------------------------------------------- sessions

	/** A session as it stands now, whoever may see it; empty when it was removed. */
	public Optional<Session> findSession(SessionId id) {
		return sessions.find(id);
	}

	/**
	 * A session the viewer may see; someone else's private session reads as not found.
	 */
	public Session session(UserId viewer, SessionId id) {
		return sessions.find(id)
			.filter(session -> session.isOpenTo(viewer))
			.orElseThrow(() -> new ConversationException.NotFound(
					"Session " + id + " does not exist or is private to its owner."));
	}

	/**
	 * The viewer's sessions, and the public ones when they chose to see them, newest
	 * first.
	 */
	public List<Session> sessionsFor(User viewer, int limit, int offset) {
		return sessions.listVisible(viewer.id(), viewer.showPublicSessions(), limit, offset);
	}

	/**
	 * The viewer's own sessions and every public one, newest first (the web page lists
	 * both).
	 */
	public List<Session> ownAndPublicSessions(UserId viewer, int limit, int offset) {
		return sessions.listVisible(viewer, true, limit, offset);
	}

	public long countSessionsFor(User viewer) {
		return sessions.countVisible(viewer.id(), viewer.showPublicSessions());
	}

	/**
	 * Creates a session owned by the user, public when made in a group, with the user's
	 * default model and system prompt.
	 */
	public Session createSession(UserId ownerId, Place place, String title, boolean makeCurrent) {
		User owner = user(ownerId);
		return transactions.execute(status -> {
			Instant now = clock.instant();
			SessionId id = sessions.insert(owner.id(), titleOrDefault(title), modelFor(owner),
					owner.defaultSystemPrompt(), place.startsPublic(), place, now);
			if (makeCurrent) {
				users.setCurrentSession(owner.id(), id, activeUnlessDisabled(owner), now);
			}
			return sessions.find(id).orElseThrow();
		});
	}

	/**
	 * The session that commands without a session number act on: the thread's session in
	 * a thread, else the user's current session, if they may still use it.
	 */
	public Optional<Session> currentSession(User user, Place place) {
		Optional<Session> session = place.isThread() ? sessions.findByThread(place)
				: Optional.ofNullable(user.currentSession()).flatMap(sessions::find);
		return session.filter(found -> found.isOpenTo(user.id()));
	}

	/** The session a thread belongs to, if one was started there. */
	public Optional<Session> threadSession(Place place) {
		return place.isThread() ? sessions.findByThread(place) : Optional.empty();
	}

	/** Makes a session the user's current one and their state active. */
	public Session useSession(UserId userId, SessionId id) {
		Session session = session(userId, id);
		User user = user(userId);
		users.setCurrentSession(userId, id, activeUnlessDisabled(user), clock.instant());
		return session;
	}

	public Session renameSession(UserId actor, SessionId id, String title) {
		if (title == null || title.isBlank()) {
			throw new ConversationException.Invalid("A session title must not be empty.");
		}
		return changeSession(actor, id, SessionStore.Setting.TITLE, truncate(title.strip(), 200));
	}

	public Session setSessionPublic(UserId actor, SessionId id, boolean isPublic) {
		return changeSession(actor, id, SessionStore.Setting.PUBLIC, isPublic);
	}

	public Session setSessionModel(UserId actor, SessionId id, String model) {
		requireModel(model);
		return changeSession(actor, id, SessionStore.Setting.MODEL, model);
	}

	public Session setSessionSystemPrompt(UserId actor, SessionId id, String systemPrompt) {
		return changeSession(actor, id, SessionStore.Setting.SYSTEM_PROMPT, blankToNull(systemPrompt));
	}

	/** Removes a session and its messages. Only the owner may. */
	public void removeSession(UserId actor, SessionId id) {
		owned(actor, id);
		transactions.executeWithoutResult(status -> {
			users.detachSession(id);
			sessions.delete(id);
		});
	}

	/**
	 * Starts a new topic: the context starts empty, the history is kept. Anyone who may
	 * chat in the session may, since in a shared session they share the context too.
	 */
	public Session startNewTopic(UserId actor, SessionId id) {
		session(actor, id);
		sessions.startNewTopic(id, clock.instant());
		return sessions.find(id).orElseThrow();
	}

	private Session changeSession(UserId actor, SessionId id, SessionStore.Setting setting, Object value) {
		owned(actor, id);
		sessions.update(id, setting, value, clock.instant());
		return sessions.find(id).orElseThrow();
	}

	private Session owned(UserId actor, SessionId id) {
		Session session = session(actor, id);
		if (!session.isOwnedBy(actor)) {
			throw new ConversationException.NotAllowed("Only the owner of session " + id + " may change it.");
		}
		return session;
	}

	// ------------------------------------------------------------------- chat

	/**
	 * Decides which session a user's message goes to, writing nothing.
	 * @param explicit the session the user named (the web page does), or {@code null}
	 * @param firstText the message's text, a fresh session's title comes from it
	 */
	public SessionChoice chooseSession(User user, Place place, SessionId explicit, String firstText) {
		if (explicit != null) {
			return new SessionChoice.Existing(session(user.id(), explicit));
		}
		if (place.kind() == PlaceKind.WEB) {
			// the web page names its session, or starts a new chat
			return fresh(user, place, firstText, true);
		}
		if (place.isThread()) {
			Optional<Session> thread = sessions.findByThread(place);
			if (thread.isPresent()) {
				if (!thread.get().isOpenTo(user.id())) {
					throw new ConversationException.NotAllowed("This thread's session is private to its owner.");
				}
				return new SessionChoice.Existing(thread.get());
			}
			return fresh(user, place, firstText, false);
		}
		if (user.state() == UserState.NEW || user.currentSession() == null) {
			return fresh(user, place, firstText, user.state() != UserState.NEW || user.attachNewSessions());
		}
		Optional<Session> current = sessions.find(user.currentSession());
		if (current.isEmpty()) {
			return fresh(user, place, firstText, true);
		}
		if (!current.get().isOpenTo(user.id())) {
			throw new ConversationException.NotAllowed("Your current session " + current.get().id()
					+ " is now private to its owner. Pick another with /session use, or start one with /session new.");
		}
		return new SessionChoice.Existing(current.get());
	}

	/**
	 * Stores a user's chat message the moment it arrives, with the assistant message that
	 * will hold its answer right behind it (so answers keep their place in the topic
	 * whatever arrives meanwhile), creating a fresh session first. The order numbers are
	 * taken inside the transaction, so concurrent messages in one session never collide.
	 * @param refusal why the question may not be answered (then it is stored as
	 * {@link AnswerState#REFUSED} with this reason), or {@code null} to leave it pending
	 */
	public Exchange ask(User author, SessionChoice choice, List<MessagePart> question, int questionTokens,
			String refusal) {
		return store(author, choice, question, questionTokens, List.of(), 0, null,
				refusal == null ? AnswerState.PENDING : AnswerState.REFUSED, refusal);
	}

	/**
	 * A question as stored, found by its answer's id; empty when it is gone (its session
	 * was removed).
	 */
	public Optional<Exchange> exchange(long answerId) {
		return messages.exchange(answerId, sessions);
	}

	/**
	 * Writes the model's answer to a pending question. Empty when the question is not
	 * pending any more (an earlier run of the same turn settled it, or it was removed):
	 * then nothing changes.
	 */
	public Optional<StoredMessage> answer(long answerId, String text, int tokenCount, AnswerRecord record) {
		return answer(answerId, List.of(), text, tokenCount, record);
	}

	/**
	 * Records an answer whose model used tools: the calls and results go before the text,
	 * as typed parts.
	 */
	public Optional<StoredMessage> answer(long answerId, List<MessagePart> toolParts, String text, int tokenCount,
			AnswerRecord record) {
		String content = answerContent(toolParts, text);
		return transactions.execute(status -> {
			// the answer as written (returned by the write itself where the store can),
			// then its session's last activity
			Optional<StoredMessage> written = messages.answered(answerId, content, tokenCount, record);
			written.ifPresent(answer -> sessions.touch(answer.session(), clock.instant()));
			return written;
		});
	}

	/** An answer's stored content: the tools' calls and results first, then the text. */
	private String answerContent(List<MessagePart> toolParts, String text) {
		List<MessagePart> content = new ArrayList<>(toolParts);
		content.add(new MessagePart.Text(text));
		return parts.write(content);
	}

	/**
	 * {@link #answer(long, List, String, int, AnswerRecord)} for a question asked in this
	 * exchange, which returns the exchange as it then stands: the answer written and its
	 * session as touched (as the write returns it, where the store can), or the session
	 * as the exchange had it when it is gone.
	 */
	public Optional<Exchange> answer(Exchange asked, List<MessagePart> toolParts, String text, int tokenCount,
			AnswerRecord record) {
		String content = answerContent(toolParts, text);
		return transactions.execute(status -> messages.answered(asked.answerId(), content, tokenCount, record)
			.map(answer -> new Exchange(sessions.touched(answer.session(), clock.instant()).orElse(asked.session()),
					asked.question(), answer)));
	}

	/**
	 * Settles a pending question without an answer: {@link AnswerState#FAILED} or
	 * {@link AnswerState#REFUSED}, with the reason for the user. A question that is not
	 * pending any more stays as it is; the message as stored is returned.
	 */
	public Optional<StoredMessage> settle(long answerId, AnswerState state, String note) {
		if (state == AnswerState.PENDING || state == AnswerState.ANSWERED) {
			throw new IllegalArgumentException("settle a question as failed or refused, not " + state);
		}
		messages.settle(answerId, state, note);
		return messages.find(answerId);
	}

	/** A message by id, if it is still there. */
	public Optional<StoredMessage> message(long id) {
		return messages.find(id);
	}

	/**
	 * Records a question and its answer in one transaction, creating a fresh session
	 * first: for exchanges that happened elsewhere (the OpenAI-compatible API's
	 * sessions). The order numbers are taken inside the transaction, so concurrent
	 * exchanges in one session never collide.
	 */
	public Exchange recordExchange(User author, SessionChoice choice, List<MessagePart> question, int questionTokens,
			String answer, int answerTokens, AnswerRecord record) {
		return store(author, choice, question, questionTokens, List.of(new MessagePart.Text(answer)), answerTokens,
				record, AnswerState.ANSWERED, null);
	}

	/**
	 * Stores a question and the assistant message behind it, in the next two places of
	 * the topic, creating a fresh session first.
	 */
	private Exchange store(User author, SessionChoice choice, List<MessagePart> question, int questionTokens,
			List<MessagePart> answer, int answerTokens, AnswerRecord record, AnswerState state, String note) {
		return writeInOrder(() -> {
			Instant now = clock.instant();
			SessionId id = switch (choice) {
				case SessionChoice.Existing existing -> existing.session().id();
				case SessionChoice.Fresh fresh -> createFresh(author, fresh, now);
			};
			// the session touched first, then the two messages (see insertExchange)
			Exchange stored = messages.insertExchange(sessions, id, choice.topic(), author.id(), parts.write(question),
					questionTokens, parts.write(answer), answerTokens, record, state, note, now);
			users.touch(author.id(), now);
			return stored;
		});
	}

	/**
	 * Runs a write that takes order numbers in a session, in one transaction, again when
	 * a concurrent writer took the same numbers first.
	 */
	private <T> T writeInOrder(java.util.function.Supplier<T> write) {
		DuplicateKeyException last = null;
		for (int attempt = 0; attempt < MAX_SEQ_RETRIES; attempt++) {
			try {
				return transactions.execute(status -> write.get());
			}
			catch (DuplicateKeyException collided) {
				last = collided;
			}
		}
		throw last;
	}

	private SessionId createFresh(User author, SessionChoice.Fresh fresh, Instant now) {
		SessionId id = sessions.insert(author.id(), fresh.title(), fresh.model(), fresh.systemPrompt(),
				fresh.isPublic(), fresh.place(), now);
		if (fresh.makeCurrent()) {
			users.setCurrentSession(author.id(), id, activeUnlessDisabled(author), now);
		}
		return id;
	}

	/**
	 * Up to {@code limit} messages of a topic written before {@code beforeSeq}, newest
	 * first: context assembly pages through these until its budget is full.
	 */
	public List<StoredMessage> contextPage(SessionId session, int topic, int beforeSeq, int limit) {
		return messages.newestFirst(session, topic, beforeSeq, limit);
	}

	/**
	 * A page of a session's messages in order, after topic {@code afterTopic}, message
	 * {@code afterSeq} (0 and 0 for the first page): for reading a whole session, as an
	 * export does. The caller has checked that its reader may see the session.
	 */
	public List<StoredMessage> messagesInOrder(SessionId session, int afterTopic, int afterSeq, int limit) {
		return messages.oldestFirst(session, afterTopic, afterSeq, limit);
	}

	/** The last messages of a session the viewer may see, oldest first. */
	public List<StoredMessage> recentMessages(UserId viewer, SessionId id, int limit) {
		session(viewer, id);
		return messages.recent(id, limit);
	}

	/**
	 * A window of a session's messages by one of them, e.g. a search hit older than the
	 * newest page: the viewer must be allowed to see the session, and the message must be
	 * in it.
	 * @throws ConversationException.NotFound when the message is not in that session
	 */
	public MessageWindow messagesBy(UserId viewer, SessionId id, long messageId, MessageWindow.Anchor anchor,
			int limit) {
		session(viewer, id);
		StoredMessage by = messages.find(messageId)
			.filter(found -> found.session().equals(id))
			.orElseThrow(() -> new ConversationException.NotFound(
					"Message " + messageId + " is not in session #" + id.value() + "."));
		return switch (anchor) {
			case AT -> {
				int before = limit / 2;
				List<StoredMessage> earlier = messages.before(id, by.topic(), by.seq(), before + 1);
				List<StoredMessage> later = messages.from(id, by.topic(), by.seq(), limit - before + 1);
				List<StoredMessage> shown = new ArrayList<>(limit);
				shown.addAll(earlier.size() > before ? earlier.subList(1, earlier.size()) : earlier);
				shown.addAll(later.size() > limit - before ? later.subList(0, limit - before) : later);
				yield new MessageWindow(shown, earlier.size() > before, later.size() > limit - before);
			}
			case BEFORE -> {
				List<StoredMessage> earlier = messages.before(id, by.topic(), by.seq(), limit + 1);
				boolean more = earlier.size() > limit;
				yield new MessageWindow(more ? earlier.subList(1, earlier.size()) : earlier, more, true);
			}
			case AFTER -> {
				List<StoredMessage> later = messages.from(id, by.topic(), by.seq() + 1, limit + 1);
				boolean more = later.size() > limit;
				yield new MessageWindow(more ? later.subList(0, limit) : later, true, more);
			}
		};
	}

	public long messageCount(SessionId id) {
		return messages.count(id);
	}

	private SessionChoice.Fresh fresh(User user, Place place, String firstText, boolean makeCurrent) {
		return new SessionChoice.Fresh(place, titleFrom(firstText), modelFor(user), user.defaultSystemPrompt(),
				place.startsPublic(), makeCurrent);
	}

	private String modelFor(User user) {
		return models.findOrDefault(user.defaultModel()).name();
	}

	private void requireModel(String model) {
		if (models.find(model).isEmpty()) {
			throw new ConversationException.Invalid("Unknown model \"" + model + "\". Known models: "
					+ String.join(", ", models.all().stream().map(m -> m.name()).toList()) + ".");
		}
	}

	/**
	 * A title from a first message: its first line, cut at a word near the configured
	 * length.
	 */
	public String titleFrom(String text) {
		String line = text == null ? "" : text.strip().lines().findFirst().orElse("").strip();
		if (line.isEmpty()) {
			return titleOrDefault(null);
		}
		if (line.length() <= properties.titleLength()) {
			return line;
		}
		String cut = line.substring(0, properties.titleLength());
		int space = cut.lastIndexOf(' ');
		return (space > properties.titleLength() / 2 ? cut.substring(0, space) : cut).strip() + "…";
	}

	private String titleOrDefault(String title) {
		return title == null || title.isBlank() ? "New session" : truncate(title.strip(), 200);
	}

	private static UserState activeUnlessDisabled(User user) {
		return user.state() == UserState.DISABLED ? UserState.DISABLED : UserState.ACTIVE;
	}

	private static String blankToNull(String text) {
		return text == null || text.isBlank() ? null : text.strip();
	}

	private static String truncate(String text, int max) {
		return text.length() <= max ? text : text.substring(0, max);
	}

}
