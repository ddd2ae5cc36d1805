package io.switchboard.channel.slack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.DividerBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.InputBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.element.PlainTextInputElement;
import com.slack.api.model.block.element.StaticSelectElement;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewClose;
import com.slack.api.model.view.ViewSubmit;
import com.slack.api.model.view.ViewTitle;
import io.switchboard.assistant.ModeHandler;
import io.switchboard.assistant.Reply;
import io.switchboard.conversation.ChatMode;
import io.switchboard.conversation.ConversationException;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.User;
import io.switchboard.llm.ModelCatalog;
import io.switchboard.llm.ModelSpec;

/**
 * The App Home tab: shows the user's model, mode and system prompt for new sessions and
 * changes them (a select for the model and the mode, a modal for the system prompt).
 */
final class SlackHome {

	static final String MODEL_ACTION = "home-model";

	static final String MODE_ACTION = "home-mode";

	static final String EDIT_SYSTEM_ACTION = "home-system-edit";

	static final String CLEAR_SYSTEM_ACTION = "home-system-clear";

	static final String SYSTEM_VIEW = "home-system";

	static final String SYSTEM_BLOCK = "system";

	static final String SYSTEM_INPUT = "system-text";

	/** Slack's limit for a plain text input. */
	static final int SYSTEM_MAX = 3000;

	/** Slack's limit for a static select. */
	private static final int OPTIONS_MAX = 100;

	private final SlackApi api;

	private final Conversations conversations;

	private final ModelCatalog models;

	private final List<ModeHandler> modeHandlers;

	SlackHome(SlackApi api, Conversations conversations, ModelCatalog models, List<ModeHandler> modeHandlers) {
		this.api = api;
		this.conversations = conversations;
		this.models = models;
		this.modeHandlers = modeHandlers;
	}

	void publish(String userId) {
		api.publishHome(userId, home(user(userId)));
	}

	void selectModel(String userId, String model) {
		conversations.setDefaultModel(user(userId).id(), model);
	}

	void selectMode(String userId, String mode) {
		ChatMode chosen = ChatMode.parse(mode).orElseThrow(() -> new ConversationException.Invalid("Unknown mode."));
		if (chosen != ChatMode.CHAT && modeHandlers.stream().noneMatch(handler -> handler.mode() == chosen)) {
			throw new ConversationException.Invalid("Image generation is not available on this server.");
		}
		conversations.setMode(user(userId).id(), chosen);
	}

	void clearSystemPrompt(String userId) {
		conversations.setDefaultSystemPrompt(user(userId).id(), null);
	}

	/** Opens the system prompt editor (within the 3 seconds a trigger id lives). */
	void openSystemPromptEditor(String triggerId, String userId) {
		User user = user(userId);
		PlainTextInputElement input = PlainTextInputElement.builder()
			.actionId(SYSTEM_INPUT)
			.multiline(true)
			.maxLength(SYSTEM_MAX)
			.initialValue(user.defaultSystemPrompt())
			.placeholder(PlainTextObject.builder().text("e.g. You are a helpful assistant. Answer in Korean.").build())
			.build();
		View modal = View.builder()
			.type("modal")
			.callbackId(SYSTEM_VIEW)
			.title(ViewTitle.builder().type("plain_text").text("System prompt").build())
			.submit(ViewSubmit.builder().type("plain_text").text("Save").build())
			.close(ViewClose.builder().type("plain_text").text("Cancel").build())
			.blocks(List.of(InputBlock.builder()
				.blockId(SYSTEM_BLOCK)
				.optional(true)
				.label(PlainTextObject.builder().text("The system prompt your new sessions start with").build())
				.hint(PlainTextObject.builder().text("Leave it empty to have none.").build())
				.element(input)
				.build()))
			.build();
		api.openView(triggerId, modal);
	}

	/**
	 * Saves the system prompt from the editor; the errors to show in it by block id,
	 * empty when it was saved.
	 */
	Map<String, String> submitSystemPrompt(String userId, String text) {
		if (text != null && text.length() > SYSTEM_MAX) {
			return Map.of(SYSTEM_BLOCK, "At most " + SYSTEM_MAX + " characters.");
		}
		conversations.setDefaultSystemPrompt(user(userId).id(), text);
		return Map.of();
	}

	private User user(String userId) {
		PlatformUserId identity = new PlatformUserId(SlackMessages.PLATFORM, userId);
		Optional<User> known = conversations.findUser(identity);
		return known.orElseGet(() -> conversations.identify(identity, api.displayName(userId).orElse(null)));
	}

	View home(User user) {
		List<LayoutBlock> blocks = new ArrayList<>();
		blocks.add(HeaderBlock.builder().text(PlainTextObject.builder().text("Switchboard").build()).build());
		blocks.add(SlackBlocks.section("Ask me anything in a channel I am in, or here in *Messages*: I answer in a "
				+ "thread, and each thread is its own conversation. These settings apply to your *new* sessions."));
		blocks.add(DividerBlock.builder().build());

		ModelSpec current = models.findOrDefault(user.defaultModel());
		List<OptionObject> modelOptions = models.all()
			.stream()
			.limit(OPTIONS_MAX)
			.map(model -> option(model.name() + (model.demo() ? " (demo)" : model.vision() ? " · reads images" : ""),
					model.name()))
			.toList();
		blocks.add(SectionBlock.builder()
			.blockId("model")
			.text(MarkdownTextObject.builder().text("*Model*\n`" + SlackMarkdown.escape(current.name()) + "`").build())
			.accessory(StaticSelectElement.builder()
				.actionId(MODEL_ACTION)
				.placeholder(PlainTextObject.builder().text("Choose a model").build())
				.options(modelOptions)
				.initialOption(modelOptions.stream()
					.filter(option -> option.getValue().equals(current.name()))
					.findFirst()
					.orElse(null))
				.build())
			.build());

		List<OptionObject> modeOptions = new ArrayList<>();
		modeOptions.add(option("Chat: messages go to the model", "chat"));
		if (modeHandlers.stream().anyMatch(handler -> handler.mode() == ChatMode.IMAGE)) {
			modeOptions.add(option("Image: messages become image prompts", "image"));
		}
		String mode = user.mode().name().toLowerCase(java.util.Locale.ROOT);
		blocks.add(SectionBlock.builder()
			.blockId("mode")
			.text(MarkdownTextObject.builder().text("*Mode*\n" + mode).build())
			.accessory(StaticSelectElement.builder()
				.actionId(MODE_ACTION)
				.options(modeOptions)
				.initialOption(modeOptions.stream().filter(o -> o.getValue().equals(mode)).findFirst().orElse(null))
				.build())
			.build());

		String prompt = user.defaultSystemPrompt();
		blocks.add(SlackBlocks.section("*System prompt*\n" + (prompt == null || prompt.isBlank() ? "_none_"
				: "```" + SlackMarkdown.escape(abbreviate(prompt, SlackBlocks.SECTION_MAX - 100)) + "```")));
		List<com.slack.api.model.block.element.BlockElement> buttons = new ArrayList<>();
		buttons.add(SlackBlocks.button(EDIT_SYSTEM_ACTION, "Edit system prompt", "edit", Reply.Style.PRIMARY));
		if (prompt != null && !prompt.isBlank()) {
			buttons.add(SlackBlocks.button(CLEAR_SYSTEM_ACTION, "Remove it", "clear", Reply.Style.DANGER));
		}
		blocks.add(ActionsBlock.builder().blockId("system-actions").elements(buttons).build());

		blocks.add(DividerBlock.builder().build());
		List<Session> sessions = conversations.sessionsFor(user, 5, 0);
		StringBuilder recent = new StringBuilder("*Recent sessions*");
		if (sessions.isEmpty()) {
			recent.append("\n_none yet_");
		}
		for (Session session : sessions) {
			recent.append("\n• ")
				.append(session.id())
				.append(' ')
				.append(SlackMarkdown.escape(session.title()))
				.append(" · ")
				.append(SlackMarkdown.escape(session.model()));
		}
		blocks.add(SlackBlocks.section(recent.toString()));
		blocks.add(SlackBlocks.context("Commands: `/switchboard help` anywhere, or mention me with a command in a "
				+ "thread (`@Switchboard /new`)."));
		return View.builder().type("home").blocks(blocks).build();
	}

	private static OptionObject option(String label, String value) {
		return OptionObject.builder().text(SlackBlocks.plain(label)).value(value).build();
	}

	private static String abbreviate(String text, int max) {
		return text.length() <= max ? text : text.substring(0, max - 1) + "…";
	}

}
