package io.switchboard.comic;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.switchboard.llm.ChatMessage;
import io.switchboard.llm.ChatModels;
import io.switchboard.llm.ChatRequest;
import io.switchboard.llm.ChatResponse;
import io.switchboard.llm.FinishReason;
import io.switchboard.llm.LlmException;
import io.switchboard.llm.ModelCatalog;
import io.switchboard.llm.ModelSpec;
import io.switchboard.usage.UsageLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.stereotype.Component;

/**
 * Asks a chat model for a comic's story, one panel's text or the image prompts, as JSON
 * that {@link ComicJson} validates. A malformed answer is sent back to the model once
 * with what was wrong with it; a second malformed answer is explained to the user. The
 * demo model cannot write JSON, so with it a deterministic demo writer stands in (clearly
 * labelled), and the studio works without any key.
 */
@Component
class StoryWriter {

	private static final Logger log = LoggerFactory.getLogger(StoryWriter.class);

	static final String STORY_SYSTEM = """
			You write four-panel comics (like Korean 네컷 and Japanese 4-koma strips): setup, development, \
			twist, punchline. Answer with one JSON object and nothing else (no prose, no code fences), shaped as:
			{"title": string, "panels": [{"scene": string, "characters": string, "dialogue": string, "caption": string}]}
			with exactly 4 panels. "scene": what the panel shows (place, action, framing) in one or two sentences. \
			"characters": who appears, comma-separated. "dialogue": what is said, one "Name: line" per line, short \
			enough for a speech balloon. "caption": narration, or "". Every panel has a dialogue or a caption. \
			Write the title, dialogue and captions in the language of the idea.""";

	static final String PANEL_SYSTEM = """
			You rewrite one panel of a four-panel comic so that it fits the others. Answer with one JSON object \
			and nothing else, shaped as {"scene": string, "characters": string, "dialogue": string, "caption": string}. \
			The panel needs a dialogue ("Name: line" per line) or a caption. Keep the language of the comic.""";

	static final String PROMPTS_SYSTEM = """
			You turn a four-panel comic into prompts for an image model such as Stable Diffusion. The panels must \
			look like one comic: first write a character sheet (each character's fixed look: age, hair, face, \
			clothes, colours) and one style line (art style, medium, palette, lighting); then, for each panel, an \
			English prompt of comma-separated phrases that repeats the style line and the look of every character \
			in the panel, and a negative prompt. No text, letters or speech balloons in the images: they are drawn \
			in later. Answer with one JSON object and nothing else, shaped as:
			{"characterSheet": string, "styleLine": string, "panels": [{"prompt": string, "negativePrompt": string}]}
			with exactly 4 panels, in order.""";

	private final ChatModels chatModels;

	private final ModelCatalog catalog;

	private final ComicProperties properties;

	private final UsageLedger usage;

	private final Clock clock;

	StoryWriter(ChatModels chatModels, ModelCatalog catalog, ComicProperties properties, UsageLedger usage,
			Clock clock) {
		this.chatModels = chatModels;
		this.catalog = catalog;
		this.properties = properties;
		this.usage = usage;
		this.clock = clock;
		requireModel(catalog, "switchboard.comic.story-model", properties.storyModel());
		requireModel(catalog, "switchboard.comic.prompt-model", properties.promptModel());
	}

	private static void requireModel(ModelCatalog catalog, String property, String name) {
		if (name != null && !name.isBlank() && catalog.find(name).isEmpty()) {
			throw new InvalidConfigurationPropertyValueException(property, name,
					"No model of that name is configured; known models: "
							+ catalog.all().stream().map(ModelSpec::name).toList() + ".");
		}
	}

	/**
	 * The model that writes a comic's story: its own, the configured one, or the server's
	 * default.
	 */
	ModelSpec storyModel(Comic comic) {
		return catalog.find(comic.model()).orElseGet(() -> catalog.findOrDefault(properties.storyModel()));
	}

	ModelSpec promptModel(Comic comic) {
		return properties.promptModel() == null || properties.promptModel().isBlank() ? storyModel(comic)
				: catalog.findOrDefault(properties.promptModel());
	}

	ComicJson.Story story(Comic comic) {
		ModelSpec model = storyModel(comic);
		if (model.demo()) {
			return ComicJson.story(DemoComicWriter.story(comic));
		}
		return ask(comic, model, STORY_SYSTEM, ideaText(comic), ComicJson::story, "a story");
	}

	StoryEdit.PanelText panel(Comic comic, int index) {
		ModelSpec model = storyModel(comic);
		if (model.demo()) {
			return ComicJson.panel(DemoComicWriter.panel(comic, index));
		}
		StringBuilder user = new StringBuilder(ideaText(comic));
		user.append("\n\nThe comic so far");
		if (comic.title() != null) {
			user.append(", titled \"").append(comic.title()).append('"');
		}
		user.append(":\n");
		for (Panel panel : comic.panels()) {
			user.append(panelText(panel));
		}
		user.append("\nRewrite panel ")
			.append(index)
			.append(" only: a fresh take that still leads from panel ")
			.append(Math.max(1, index - 1))
			.append(" to panel ")
			.append(Math.min(4, index + 1))
			.append('.');
		return ask(comic, model, PANEL_SYSTEM, user.toString(), ComicJson::panel, "a panel");
	}

	PromptsEdit prompts(Comic comic) {
		ModelSpec model = promptModel(comic);
		if (model.demo()) {
			return ComicJson.prompts(DemoComicWriter.prompts(comic));
		}
		StringBuilder user = new StringBuilder(ideaText(comic));
		user.append("\n\nTitle: ").append(comic.title()).append('\n');
		for (Panel panel : comic.panels()) {
			user.append(panelText(panel));
		}
		return ask(comic, model, PROMPTS_SYSTEM, user.toString(), ComicJson::prompts, "image prompts");
	}

	/**
	 * One call, and one more with the validation error fed back when the first answer is
	 * malformed.
	 */
	private <T> T ask(Comic comic, ModelSpec model, String system, String user, Function<String, T> read, String what) {
		List<ChatMessage> messages = new ArrayList<>(List.of(ChatMessage.system(system), ChatMessage.user(user)));
		String problem = null;
		for (int attempt = 1; attempt <= 2; attempt++) {
			ChatResponse response = call(comic, model, messages);
			try {
				return read.apply(response.text());
			}
			catch (ComicJson.AnswerInvalid invalid) {
				problem = invalid.getMessage() + (response.finishReason() == FinishReason.LENGTH
						? " (the answer was cut off at the length limit)" : "");
				log.info("comic {}: {} answered {} that could not be used (attempt {}): {}", comic.id(), model.name(),
						what, attempt, problem);
				messages.add(ChatMessage.assistant(response.text().isEmpty() ? "(empty)" : response.text()));
				messages.add(ChatMessage.user("That answer could not be used: " + problem
						+ ". Answer again with only the JSON object, exactly in the shape described."));
			}
		}
		throw new ComicException.ModelFailed(
				"The model " + model.name() + " did not write " + what + " that could be used, twice in a row: "
						+ problem + ". Nothing was changed. Try again, or choose another model.",
				false, null);
	}

	private ChatResponse call(Comic comic, ModelSpec model, List<ChatMessage> messages) {
		int maxTokens = Math.min(properties.maxOutputTokens(), model.maxOutputTokens());
		try {
			ChatResponse response = chatModels
				.chat(new ChatRequest(model, messages, maxTokens, properties.temperature()));
			usage.record(comic.owner().value(), model.name(), response.usage().inputTokens(),
					response.usage().outputTokens(), model.price().costNanos(response.usage()), clock.instant());
			return response;
		}
		catch (LlmException failed) {
			log.info("comic {}: {} failed: {}", comic.id(), model.name(), failed.getMessage());
			throw new ComicException.ModelFailed(failed.userMessage() + " Nothing was changed.",
					failed instanceof LlmException.Retriable, failed);
		}
	}

	static String ideaText(Comic comic) {
		StringBuilder text = new StringBuilder("Idea: ").append(comic.idea());
		if (comic.genre() != null && !comic.genre().isBlank()) {
			text.append("\nGenre: ").append(comic.genre());
		}
		if (comic.style() != null && !comic.style().isBlank()) {
			text.append("\nStyle: ").append(comic.style());
		}
		if (comic.characterSheet() != null && !comic.characterSheet().isBlank()) {
			text.append("\nCharacters: ").append(comic.characterSheet());
		}
		return text.toString();
	}

	private static String panelText(Panel panel) {
		return "Panel " + panel.index() + ": scene: " + panel.scene() + " | characters: " + panel.characters()
				+ " | dialogue: " + panel.dialogue().replace('\n', ' ') + " | caption: " + panel.caption() + "\n";
	}

}
