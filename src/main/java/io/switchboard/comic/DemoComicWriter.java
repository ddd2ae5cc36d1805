package io.switchboard.comic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes a comic without any model, for servers with only the demo model: the same JSON a
 * real model is asked for, built from the idea on the four beats of a 4-koma (setup,
 * development, twist, punchline), labelled as a demo in the title.
 */
final class DemoComicWriter {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String[] BEATS = { "Setup", "Development", "Twist", "Punchline" };

	private static final String[] LINES = { "Hero: Here we go!", "Friend: Are you sure about this?",
			"Hero: Wait... what?!", "Friend: Told you so." };

	private DemoComicWriter() {
	}

	static String story(Comic comic) {
		ObjectNode root = JSON.createObjectNode();
		root.put("title", "[demo] " + shorten(comic.idea(), 60));
		ArrayNode panels = root.putArray("panels");
		for (int i = 1; i <= 4; i++) {
			panels.add(panelNode(comic, i));
		}
		return root.toString();
	}

	static String panel(Comic comic, int index) {
		ObjectNode panel = panelNode(comic, index);
		panel.put("scene", panel.get("scene").asText() + " (rewritten)");
		return panel.toString();
	}

	static String prompts(Comic comic) {
		ObjectNode root = JSON.createObjectNode();
		String style = comic.style() == null || comic.style().isBlank() ? "clean comic line art, flat colours"
				: comic.style();
		root.put("characterSheet", "Hero: young, short black hair, red scarf. Friend: tall, glasses, green coat.");
		root.put("styleLine", style);
		ArrayNode panels = root.putArray("panels");
		for (Panel panel : comic.panels()) {
			panels.addObject()
				.put("prompt",
						style + ", " + shorten(panel.scene(), 300) + ", Hero with red scarf, Friend in green coat")
				.put("negativePrompt", "text, watermark, lowres");
		}
		return root.toString();
	}

	private static ObjectNode panelNode(Comic comic, int index) {
		ObjectNode panel = JSON.createObjectNode();
		panel.put("scene", BEATS[index - 1] + ": " + shorten(comic.idea(), 200));
		panel.put("characters", "Hero, Friend");
		panel.put("dialogue", LINES[index - 1]);
		panel.put("caption", index == 1 ? shorten(comic.idea(), 80) : "");
		return panel;
	}

	private static String shorten(String text, int max) {
		String value = text == null ? "" : text.strip().replaceAll("\\s+", " ");
		return value.length() > max ? value.substring(0, max - 1) + "…" : value;
	}

}
