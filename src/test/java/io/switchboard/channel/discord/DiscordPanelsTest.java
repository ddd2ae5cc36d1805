package io.switchboard.channel.discord;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserState;
import io.switchboard.fakes.FakeDiscord.Component;
import io.switchboard.fakes.FakeDiscord.FakeMessage;
import io.switchboard.fakes.FakeDiscord;
import org.junit.jupiter.api.Test;

import static io.switchboard.fakes.FakeDiscord.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code /user} and {@code /session} panels on the fake Discord, with every button
 * and select, and the slash commands registered at start.
 */
class DiscordPanelsTest extends DiscordTestBase {

	static final long CHANNEL = FakeDiscord.CHANNEL_ID;

	// -------------------------------------------------------------- commands

	@Test
	void theCommandsAreRegisteredInTheConfiguredServerAtStart() {
		waitFor(WAIT, () -> !discord.guildCommands(FakeDiscord.GUILD_ID).isEmpty(), "the commands");
		List<JsonNode> commands = discord.guildCommands(FakeDiscord.GUILD_ID);
		assertThat(commands).extracting(c -> c.path("name").asText())
			.containsExactlyInAnyOrder("user", "session", "imagine", "comic", "Session info");
		assertThat(discord.globalCommands()).isEmpty();
		JsonNode user = command(commands, "user");
		assertThat(user.path("options")).extracting(o -> o.path("name").asText())
			.containsExactly("system_msg", "max_token");
		assertThat(user.path("options").get(1).path("type").asInt()).isEqualTo(4);
		assertThat(user.path("options").get(1).path("min_value").asInt()).isEqualTo(16);
		JsonNode session = command(commands, "session");
		assertThat(session.path("options")).extracting(o -> o.path("name").asText())
			.containsExactly("name", "system_msg");
		assertThat(command(commands, "imagine").path("options").get(0).path("required").asBoolean()).isTrue();
		assertThat(command(commands, "Session info").path("type").asInt()).isEqualTo(3);
	}

	// ------------------------------------------------------------------ /user

	@Test
	void userShowsNameIdTimesSystemMessageAndSessionsWithItsControlsInRows() {
		FakeDiscord.User alice = person("alice");
		ask(alice, "first question");
		FakeMessage panel = slash(alice, CHANNEL, "user", Map.of());

		assertThat(panel.content()).contains("**" + capitalized(alice.name()) + "**", "Discord id `" + alice.id() + "`",
				"Created <t:", "updated <t:", "modified <t:", "System message: none", "**Sessions** (1)",
				"first question");
		List<List<Component>> rows = panel.rows();
		assertThat(rows).hasSize(4);
		assertThat(rows.get(0)).extracting(Component::customId).containsExactly("u:showpublic", "u:attach", "u:clear");
		assertThat(rows.get(0)).extracting(Component::label).containsExactly("Show public: off", "Attach: on", "Clear");
		assertThat(rows.get(1)).singleElement().satisfies(menu -> {
			assertThat(menu.customId()).isEqualTo("u:model");
			assertThat(menu.options()).extracting(FakeDiscord.Option::value).containsExactly("gpt-test", "gpt-other");
			assertThat(menu.options().getFirst().isDefault()).isTrue();
		});
		assertThat(rows.get(2)).singleElement().satisfies(menu -> {
			assertThat(menu.customId()).isEqualTo("u:state");
			assertThat(menu.options()).extracting(FakeDiscord.Option::value)
				.containsExactly("new", "activate", "disable");
			assertThat(menu.options().get(1).isDefault()).isTrue();
		});
		Session session = sessionsOf(alice).getFirst();
		assertThat(rows.get(3)).singleElement().satisfies(menu -> {
			assertThat(menu.customId()).isEqualTo("u:sessions:0");
			assertThat(menu.options()).singleElement().satisfies(option -> {
				assertThat(option.value()).isEqualTo(Long.toString(session.id().value()));
				assertThat(option.isDefault()).isTrue();
			});
		});
	}

	@Test
	void userOptionsSetTheSystemMessageAndTheLongestAnswerOfNewSessions() {
		FakeDiscord.User bob = person("bob");
		FakeMessage panel = slash(bob, CHANNEL, "user",
				Map.of("system_msg", "Answer like a pirate.", "max_token", 500));
		assertThat(panel.content()).contains("System message: \"Answer like a pirate.\"", "longest answer 500 tokens");
		User user = userOf(bob);
		assertThat(user.defaultSystemPrompt()).isEqualTo("Answer like a pirate.");
		assertThat(user.maxOutputTokens()).isEqualTo(500);

		ask(bob, "hello");
		JsonNode request = openai.lastRequestJson();
		assertThat(openai.systemPrompt(request)).isEqualTo("Answer like a pirate.");
		assertThat(openai.maxTokens(request)).isEqualTo(500);

		slash(bob, CHANNEL, "user", Map.of("system_msg", "-"));
		assertThat(userOf(bob).defaultSystemPrompt()).isNull();
	}

	@Test
	void aRefusedUserOptionChangesNothing() {
		FakeDiscord.User carol = person("carol");
		slash(carol, CHANNEL, "user", Map.of());
		// Discord itself keeps max_token at 16 or more; a forged or stale client may not
		FakeMessage panel = slash(carol, CHANNEL, "user", Map.of("max_token", 5, "system_msg", "should not stick"));
		assertThat(panel.content()).startsWith("⚠️ Max tokens must be between 16 and 200000.");
		User user = userOf(carol);
		assertThat(user.maxOutputTokens()).as("Discord's default, unchanged").isEqualTo(500);
		assertThat(user.defaultSystemPrompt()).isNull();
	}

	@Test
	void showPublicListsOtherPeoplesPublicSessionsAndTogglesBack() {
		FakeDiscord.User owner = person("dora");
		ask(owner, "a public topic of dora");
		FakeDiscord.User viewer = person("ed");
		ask(viewer, "ed's own topic");
		FakeMessage panel = slash(viewer, CHANNEL, "user", Map.of());
		assertThat(optionLabels(panel)).noneMatch(label -> label.contains("a public topic of dora"));

		click(viewer, panel, "u:showpublic");
		assertThat(panel.component("u:showpublic").label()).isEqualTo("Show public: on");
		assertThat(userOf(viewer).showPublicSessions()).isTrue();
		assertThat(optionLabels(panel)).anyMatch(label -> label.contains("a public topic of dora"));
		assertThat(panel.content()).contains("by " + capitalized(owner.name()));

		click(viewer, panel, "u:showpublic");
		assertThat(panel.component("u:showpublic").label()).isEqualTo("Show public: off");
		assertThat(optionLabels(panel)).noneMatch(label -> label.contains("a public topic of dora"));
	}

	@Test
	void attachDecidesWhetherASessionStartedByAMessageBecomesTheCurrentOne() {
		FakeDiscord.User fay = person("fay");
		ask(fay, "first");
		Session first = sessionsOf(fay).getFirst();
		FakeMessage panel = slash(fay, CHANNEL, "user", Map.of());

		click(fay, panel, "u:attach");
		assertThat(panel.component("u:attach").label()).isEqualTo("Attach: off");
		select(fay, panel, "u:state", "new");
		ask(fay, "not attached");
		assertThat(userOf(fay).currentSession()).isEqualTo(first.id());
		assertThat(userOf(fay).state()).isEqualTo(UserState.NEW);

		click(fay, panel, "u:attach");
		assertThat(panel.component("u:attach").label()).isEqualTo("Attach: on");
		ask(fay, "attached");
		Session attached = sessionsOf(fay).stream().filter(s -> s.title().equals("attached")).findFirst().orElseThrow();
		assertThat(userOf(fay).currentSession()).isEqualTo(attached.id());
		assertThat(userOf(fay).state()).isEqualTo(UserState.ACTIVE);
		assertThat(sessionsOf(fay)).hasSize(3);
	}

	@Test
	void clearAsksFirstThenKeepsOrRemovesAllOwnSessions() {
		FakeDiscord.User gus = person("gus");
		ask(gus, "one");
		conversations.setState(userOf(gus).id(), UserState.NEW);
		askInDm(gus, "two");
		FakeMessage panel = slash(gus, CHANNEL, "user", Map.of());

		FakeDiscord.Interaction clear = discord.click(gus, panel, "u:clear");
		FakeMessage question = clear.awaitOriginal(WAIT);
		assertThat(question.ephemeral()).isTrue();
		assertThat(question.content()).contains("Remove all 2 of your sessions");
		click(gus, question, "u:clear:no");
		assertThat(question.content()).isEqualTo("Your sessions are kept.");
		assertThat(question.customIds()).isEmpty();
		assertThat(sessionsOf(gus)).hasSize(2);

		FakeMessage again = discord.click(gus, panel, "u:clear").awaitOriginal(WAIT);
		click(gus, again, "u:clear:yes");
		assertThat(again.content()).isEqualTo("Removed your 2 sessions.");
		assertThat(sessionsOf(gus)).isEmpty();

		// a stale confirmation button does nothing more
		FakeDiscord.Interaction stale = discord.forceClick(gus, again, "u:clear:yes");
		stale.awaitAcknowledged(WAIT);
		waitFor(WAIT, () -> again.content().contains("Nothing to confirm"), "the stale confirmation refused");
	}

	@Test
	void theModelMenuSetsTheModelOfNewSessionsOnly() {
		FakeDiscord.User hal = person("hal");
		ask(hal, "on the default model");
		FakeMessage panel = slash(hal, CHANNEL, "user", Map.of());
		select(hal, panel, "u:model", "gpt-other");
		assertThat(panel.content()).contains("model for new sessions `gpt-other`");
		assertThat(panel.component("u:model").options().get(1).isDefault()).isTrue();
		assertThat(userOf(hal).defaultModel()).isEqualTo("gpt-other");
		assertThat(sessionsOf(hal).getFirst().model()).isEqualTo("gpt-test");

		select(hal, panel, "u:state", "new");
		ask(hal, "on the other model");
		assertThat(openai.lastRequestJson().path("model").asText()).isEqualTo("gpt-4o");
		assertThat(sessionsOf(hal)).extracting(Session::model).containsExactlyInAnyOrder("gpt-test", "gpt-other");
	}

	@Test
	void theStateMenuSwitchesBetweenNewActivateAndDisable() {
		FakeDiscord.User ida = person("ida");
		ask(ida, "start");
		FakeMessage panel = slash(ida, CHANNEL, "user", Map.of());

		select(ida, panel, "u:state", "disable");
		assertThat(userOf(ida).state()).isEqualTo(UserState.DISABLED);
		assertThat(panel.content()).contains("State **disable**");
		FakeMessage ignored = discord.say(ida, CHANNEL, "while disabled");
		awaitTakenInUnanswered(ignored);
		assertThat(discord.repliesTo(ignored)).isEmpty();
		assertThat(ignored.reactionLog()).isEmpty();
		assertThat(modelRequestsMentioning("while disabled")).isZero();

		select(ida, panel, "u:state", "new");
		assertThat(userOf(ida).state()).isEqualTo(UserState.NEW);
		ask(ida, "a new session please");
		assertThat(sessionsOf(ida)).hasSize(2);

		select(ida, panel, "u:state", "activate");
		assertThat(userOf(ida).state()).isEqualTo(UserState.ACTIVE);
		ask(ida, "continue it");
		assertThat(sessionsOf(ida)).hasSize(2);

		FakeDiscord.Interaction bad = discord.forceSelect(ida, panel, "u:state", "sleepy");
		FakeMessage refusal = bad.awaitFollowups(1, WAIT).getFirst();
		assertThat(refusal.content()).contains("Unknown state");
		assertThat(userOf(ida).state()).isEqualTo(UserState.ACTIVE);
	}

	@Test
	void theSessionMenuSwitchesSessionsAndSendsThePickedSessionPrivately() {
		FakeDiscord.User jon = person("jon");
		ask(jon, "the old topic");
		Session old = sessionsOf(jon).getFirst();
		conversations.setState(userOf(jon).id(), UserState.NEW);
		ask(jon, "the new topic");
		assertThat(userOf(jon).currentSession()).isNotEqualTo(old.id());
		FakeMessage panel = slash(jon, CHANNEL, "user", Map.of());

		FakeDiscord.Interaction pick = discord.select(jon, panel, "u:sessions:0", Long.toString(old.id().value()));
		FakeMessage sent = pick.awaitFollowups(1, WAIT).getFirst();
		assertThat(sent.ephemeral()).isTrue();
		assertThat(sent.content()).contains("**Session " + old.id() + "**", "the old topic");
		assertThat(userOf(jon).currentSession()).isEqualTo(old.id());
		waitFor(WAIT, () -> panel.content().contains("▶ `" + old.id() + "`"), "the panel to show the pick");

		ask(jon, "back in the old topic");
		assertThat(conversations.messageCount(old.id())).isEqualTo(4);
	}

	@Test
	void aPrivateSessionOfSomeoneElseCannotBePicked() {
		FakeDiscord.User kate = person("kate");
		askInDm(kate, "kate's secret");
		Session secret = sessionsOf(kate).getFirst();
		assertThat(secret.isPublic()).isFalse();
		FakeDiscord.User leo = person("leo");
		ask(leo, "leo's topic");
		FakeMessage panel = slash(leo, CHANNEL, "user", Map.of());
		click(leo, panel, "u:showpublic");
		assertThat(optionLabels(panel)).noneMatch(label -> label.contains("kate's secret"));

		FakeDiscord.Interaction forced = discord.forceSelect(leo, panel, "u:sessions:0",
				Long.toString(secret.id().value()));
		FakeMessage refusal = forced.awaitFollowups(1, WAIT).getFirst();
		assertThat(refusal.content()).contains("does not exist or is private");
		assertThat(userOf(leo).currentSession()).isNotEqualTo(secret.id());
	}

	@Test
	void sessionsArePagedTwentyFiveAtATimeNewestFirst() {
		FakeDiscord.User max = person("max");
		ask(max, "session 0");
		User user = userOf(max);
		for (int i = 1; i <= 27; i++) {
			conversations.createSession(user.id(), Place.group("discord", Long.toString(CHANNEL)), "session " + i,
					false);
		}
		FakeMessage panel = slash(max, CHANNEL, "user", Map.of());
		assertThat(panel.content()).contains("**Sessions** (28, page 1 of 2)", "… and 15 more in the menu below");
		assertThat(panel.rows()).hasSize(5);
		Component menu = panel.component("u:sessions:0");
		assertThat(menu.options()).hasSize(25);
		assertThat(menu.options().getFirst().label()).endsWith("session 27");
		assertThat(panel.component("u:page:-1").disabled()).isTrue();

		click(max, panel, "u:page:1");
		Component second = panel.component("u:sessions:1");
		assertThat(second.options()).extracting(FakeDiscord.Option::label)
			.satisfiesExactly(label -> assertThat(label).endsWith("session 2"),
					label -> assertThat(label).endsWith("session 1"), label -> assertThat(label).endsWith("session 0"));
		assertThat(panel.content()).contains("page 2 of 2");
		assertThat(panel.component("u:page:2").disabled()).isTrue();
		click(max, panel, "u:page:0");
		assertThat(panel.component("u:sessions:0").options()).hasSize(25);
	}

	// --------------------------------------------------------------- /session

	@Test
	void sessionShowsCreatorNameTimesSystemMessageAndRecentConversation() {
		FakeDiscord.User nora = person("nora");
		ask(nora, "What is the capital of France?");
		FakeMessage panel = slash(nora, CHANNEL, "session", Map.of());
		Session session = sessionsOf(nora).getFirst();
		assertThat(panel.content()).contains("**Session " + session.id() + "** \"What is the capital of France?\"",
				"Creator: **" + capitalized(nora.name()) + "**", "public", "Created <t:", "updated <t:", "modified <t:",
				"System message: none", "**Recent conversation**", "What is the capital of France?",
				"Echo: What is the capital of France?");
		assertThat(panel.rows()).hasSize(2);
		assertThat(panel.rows().get(0)).extracting(Component::customId)
			.containsExactly("s:public:" + session.id().value(), "s:remove:" + session.id().value());
		assertThat(panel.component("s:public:" + session.id().value()).label()).isEqualTo("Public: on");
		assertThat(panel.component("s:model:" + session.id().value()).options()).hasSize(2);
		assertThat(panel.customIds()).allSatisfy(id -> assertThat(panel.component(id).disabled()).isFalse());
	}

	@Test
	void sessionOptionsRenameItAndSetItsSystemMessage() {
		FakeDiscord.User olaf = person("olaf");
		ask(olaf, "a topic");
		FakeMessage panel = slash(olaf, CHANNEL, "session", Map.of("name", "Travel plans", "system_msg", "Be brief."));
		assertThat(panel.content()).contains("\"Travel plans\"", "System message: \"Be brief.\"");
		Session session = sessionsOf(olaf).getFirst();
		assertThat(session.title()).isEqualTo("Travel plans");
		assertThat(session.systemPrompt()).isEqualTo("Be brief.");
		ask(olaf, "and now?");
		assertThat(openai.systemPrompt(openai.lastRequestJson())).isEqualTo("Be brief.");
	}

	@Test
	void sessionWithoutACurrentSessionSaysHowToStartOne() {
		FakeDiscord.User pia = person("pia");
		FakeMessage answer = slash(pia, CHANNEL, "session", Map.of());
		assertThat(answer.content()).contains("no current session");
		assertThat(answer.customIds()).isEmpty();
	}

	@Test
	void theOwnerTogglesPublicAndSetsTheModel() {
		FakeDiscord.User quin = person("quin");
		ask(quin, "owner's topic");
		Session session = sessionsOf(quin).getFirst();
		long id = session.id().value();
		FakeMessage panel = slash(quin, CHANNEL, "session", Map.of());

		click(quin, panel, "s:public:" + id);
		assertThat(panel.component("s:public:" + id).label()).isEqualTo("Public: off");
		assertThat(panel.content()).contains("· private ·");
		assertThat(sessionsOf(quin).getFirst().isPublic()).isFalse();
		click(quin, panel, "s:public:" + id);
		assertThat(sessionsOf(quin).getFirst().isPublic()).isTrue();

		select(quin, panel, "s:model:" + id, "gpt-other");
		assertThat(panel.content()).contains("model `gpt-other`");
		assertThat(sessionsOf(quin).getFirst().model()).isEqualTo("gpt-other");
		ask(quin, "which model now?");
		assertThat(openai.lastRequestJson().path("model").asText()).isEqualTo("gpt-4o");
	}

	@Test
	void onlyTheOwnerChangesOrRemovesASession() {
		FakeDiscord.User owner = person("rita");
		ask(owner, "rita's public topic");
		Session session = sessionsOf(owner).getFirst();
		long id = session.id().value();
		FakeDiscord.User other = person("sam");
		ask(other, "hello");
		conversations.useSession(userOf(other).id(), session.id());

		FakeMessage panel = slash(other, CHANNEL, "session", Map.of());
		assertThat(panel.content()).contains("Creator: **" + capitalized(owner.name()) + "**");
		for (String control : List.of("s:public:" + id, "s:remove:" + id, "s:model:" + id)) {
			assertThat(panel.component(control).disabled()).as(control + " disabled for others").isTrue();
		}

		FakeDiscord.Interaction forcedPublic = discord.forceClick(other, panel, "s:public:" + id);
		assertThat(forcedPublic.awaitFollowups(1, WAIT).getFirst().content()).contains("Only the owner");
		FakeDiscord.Interaction forcedModel = discord.forceSelect(other, panel, "s:model:" + id, "gpt-other");
		assertThat(forcedModel.awaitFollowups(1, WAIT).getFirst().content()).contains("Only the owner");
		FakeDiscord.Interaction forcedRemove = discord.forceClick(other, panel, "s:remove:" + id);
		assertThat(forcedRemove.awaitOriginal(WAIT).content()).contains("Only the owner");
		FakeDiscord.Interaction forcedConfirm = discord.forceClick(other, panel, "s:remove:yes:" + id);
		forcedConfirm.awaitAcknowledged(WAIT);
		waitFor(WAIT, () -> panel.content().contains("Nothing to confirm"), "the forged confirmation refused");

		Session unchanged = conversations.session(userOf(owner).id(), session.id());
		assertThat(unchanged.isPublic()).isTrue();
		assertThat(unchanged.model()).isEqualTo("gpt-test");
		assertThat(unchanged.title()).isEqualTo("rita's public topic");
		FakeMessage renamed = slash(other, CHANNEL, "session", Map.of("name", "taken over"));
		assertThat(renamed.content()).startsWith("⚠️ Only the owner");
		assertThat(conversations.session(userOf(owner).id(), session.id()).title()).isEqualTo("rita's public topic");
	}

	@Test
	void removeAsksFirstThenKeepsOrRemovesTheSession() {
		FakeDiscord.User tom = person("tom");
		ask(tom, "to be removed");
		Session session = sessionsOf(tom).getFirst();
		long id = session.id().value();
		FakeMessage panel = slash(tom, CHANNEL, "session", Map.of());

		FakeMessage question = discord.click(tom, panel, "s:remove:" + id).awaitOriginal(WAIT);
		assertThat(question.ephemeral()).isTrue();
		assertThat(question.content()).contains("Remove session " + session.id());
		click(tom, question, "s:remove:no:" + id);
		assertThat(question.content()).isEqualTo("Kept session " + session.id() + ".");
		assertThat(sessionsOf(tom)).hasSize(1);

		FakeMessage again = discord.click(tom, panel, "s:remove:" + id).awaitOriginal(WAIT);
		click(tom, again, "s:remove:yes:" + id);
		assertThat(again.content()).startsWith("Removed session " + session.id());
		assertThat(sessionsOf(tom)).isEmpty();
		assertThat(userOf(tom).currentSession()).isNull();
	}

	// ----------------------------------------------------------------- helpers

	/** Presses a button and waits until the message it edits has changed. */
	private void click(FakeDiscord.User person, FakeMessage message, String customId) {
		int before = message.history().size();
		discord.click(person, message, customId).awaitAcknowledged(WAIT);
		awaitEdit(message, before);
	}

	private void select(FakeDiscord.User person, FakeMessage message, String customId, String value) {
		int before = message.history().size();
		discord.select(person, message, customId, value).awaitAcknowledged(WAIT);
		awaitEdit(message, before);
	}

	private static List<String> optionLabels(FakeMessage panel) {
		return panel.rows()
			.stream()
			.flatMap(List::stream)
			.filter(c -> c.customId() != null && c.customId().startsWith("u:sessions:"))
			.flatMap(c -> c.options().stream())
			.map(FakeDiscord.Option::label)
			.toList();
	}

	private static JsonNode command(List<JsonNode> commands, String name) {
		return commands.stream().filter(c -> c.path("name").asText().equals(name)).findFirst().orElseThrow();
	}

	private static String capitalized(String name) {
		return Character.toUpperCase(name.charAt(0)) + name.substring(1);
	}

}
