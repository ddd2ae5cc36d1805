package io.switchboard.comic;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads and validates the model's structured answers (a story, one panel's text, the
 * prompts). Models wrap JSON in code fences or a sentence now and then, so the object is
 * taken from the first {@code {} to the last {@code }}; everything else about it must be
 * right, and each problem is named in words the model (on a retry) and the user (after
 * that) can act on.
 */
final class ComicJson {

	static final int MAX_TITLE = 200;

	static final int MAX_SCENE = 1000;

	static final int MAX_CHARACTERS = 300;

	static final int MAX_LINE = 400;

	static final int MAX_PROMPT = 1500;

	static final int MAX_SHEET = 3000;

	static final int MAX_STYLE_LINE = 500;

	private static final ObjectMapper JSON = new ObjectMapper();

	private ComicJson() {
	}

	/** An answer that is not what was asked for; the message says what is wrong. */
	static final class AnswerInvalid extends RuntimeException {

		AnswerInvalid(String problem) {
			super(problem, null, false, false);
		}

	}

	/** A whole story. */
	record Story(String title, List<StoryEdit.PanelText> panels) {
	}

	static Story story(String answer) {
		JsonNode root = object(answer);
		String title = text(root, "title", MAX_TITLE, true);
		JsonNode panels = root.get("panels");
		if (panels == null || !panels.isArray()) {
			throw new AnswerInvalid("\"panels\" is missing or not an array");
		}
		if (panels.size() != 4) {
			throw new AnswerInvalid("\"panels\" has " + panels.size() + " panels; a four-panel comic needs exactly 4");
		}
		List<StoryEdit.PanelText> texts = new ArrayList<>(4);
		for (int i = 0; i < 4; i++) {
			texts.add(panelText(panels.get(i), "panels[" + i + "]"));
		}
		return new Story(title, texts);
	}

	/** One panel's text, as a rewrite of one panel answers. */
	static StoryEdit.PanelText panel(String answer) {
		JsonNode root = object(answer);
		// a model may wrap the one panel as {"panel": {...}}
		if (!root.has("scene") && root.path("panel").isObject()) {
			root = root.get("panel");
		}
		return panelText(root, "the panel");
	}

	static PromptsEdit prompts(String answer) {
		JsonNode root = object(answer);
		String sheet = text(root, "characterSheet", MAX_SHEET, false);
		String styleLine = text(root, "styleLine", MAX_STYLE_LINE, true);
		JsonNode panels = root.get("panels");
		if (panels == null || !panels.isArray()) {
			throw new AnswerInvalid("\"panels\" is missing or not an array");
		}
		if (panels.size() != 4) {
			throw new AnswerInvalid(
					"\"panels\" has " + panels.size() + " entries; exactly 4 are needed, one per panel");
		}
		List<PromptsEdit.PanelPrompt> prompts = new ArrayList<>(4);
		for (int i = 0; i < 4; i++) {
			JsonNode panel = panels.get(i);
			String where = "panels[" + i + "]";
			if (!panel.isObject()) {
				throw new AnswerInvalid(where + " is not an object");
			}
			prompts.add(new PromptsEdit.PanelPrompt(text(panel, "prompt", MAX_PROMPT, true, where),
					text(panel, "negativePrompt", MAX_PROMPT, false, where)));
		}
		return new PromptsEdit(sheet, styleLine, prompts);
	}

	private static StoryEdit.PanelText panelText(JsonNode panel, String where) {
		if (panel == null || !panel.isObject()) {
			throw new AnswerInvalid(where + " is not an object");
		}
		String scene = text(panel, "scene", MAX_SCENE, true, where);
		String characters = characters(panel, where);
		String dialogue = text(panel, "dialogue", MAX_LINE, false, where);
		String caption = text(panel, "caption", MAX_LINE, false, where);
		if (dialogue.isEmpty() && caption.isEmpty()) {
			throw new AnswerInvalid(where + " has neither \"dialogue\" nor \"caption\"; every panel needs one of them");
		}
		return new StoryEdit.PanelText(scene, characters, dialogue, caption);
	}

	/** A string, or a list of names joined with commas. */
	private static String characters(JsonNode panel, String where) {
		JsonNode value = panel.get("characters");
		if (value == null || value.isNull()) {
			return "";
		}
		String text;
		if (value.isArray()) {
			List<String> names = new ArrayList<>();
			value.forEach(name -> {
				if (!name.isTextual()) {
					throw new AnswerInvalid(where + ".characters must hold names (strings)");
				}
				names.add(name.asText().strip());
			});
			text = String.join(", ", names);
		}
		else if (value.isTextual()) {
			text = value.asText().strip();
		}
		else {
			throw new AnswerInvalid(where + ".characters must be a string or a list of names");
		}
		if (text.length() > MAX_CHARACTERS) {
			throw new AnswerInvalid(where + ".characters is longer than " + MAX_CHARACTERS + " characters");
		}
		return text;
	}

	private static String text(JsonNode node, String field, int max, boolean required) {
		return text(node, field, max, required, null);
	}

	private static String text(JsonNode node, String field, int max, boolean required, String where) {
		String name = where == null ? "\"" + field + "\"" : where + "." + field;
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			if (required) {
				throw new AnswerInvalid(name + " is missing");
			}
			return "";
		}
		if (!value.isTextual()) {
			throw new AnswerInvalid(name + " must be a string");
		}
		String text = value.asText().strip();
		if (required && text.isEmpty()) {
			throw new AnswerInvalid(name + " is empty");
		}
		if (text.length() > max) {
			throw new AnswerInvalid(name + " is longer than " + max + " characters");
		}
		return text;
	}

	private static JsonNode object(String answer) {
		String text = answer == null ? "" : answer.strip();
		int start = text.indexOf('{');
		int end = text.lastIndexOf('}');
		if (start < 0 || end < start) {
			throw new AnswerInvalid("the answer holds no JSON object");
		}
		try {
			JsonNode root = JSON.readTree(text.substring(start, end + 1));
			if (root == null || !root.isObject()) {
				throw new AnswerInvalid("the answer is not a JSON object");
			}
			return root;
		}
		catch (JsonProcessingException broken) {
			throw new AnswerInvalid("the answer is not valid JSON (" + broken.getOriginalMessage() + ")");
		}
	}

}
