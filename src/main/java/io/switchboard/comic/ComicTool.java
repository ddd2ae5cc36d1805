package io.switchboard.comic;

import java.util.List;

import io.switchboard.assistant.AssistantTool;
import io.switchboard.assistant.ToolArguments;
import io.switchboard.assistant.ToolContext;
import io.switchboard.assistant.ToolOutcome;
import io.switchboard.assistant.ToolProperties;
import io.switchboard.assistant.ToolSource;
import io.switchboard.image.ImageOrigin;
import io.switchboard.llm.ToolSpec;

import org.springframework.stereotype.Component;

/**
 * {@code make_comic}: a comic asked for in plain words, started as {@code /comic} would
 * start it; the strip is delivered where the question was asked.
 */
@Component
class ComicTool implements AssistantTool, ToolSource {

	static final String NAME = "make_comic";

	private static final ToolSpec SPEC = new ToolSpec(NAME,
			"Make a four-panel comic strip from an idea (story, panels and strip are made in the background and "
					+ "sent to the user in a minute or two). Use it when the user asks for a comic or manga.",
			"""
					{"type":"object","properties":{"idea":{"type":"string","description":"the comic's idea"}},
					"required":["idea"]}""");

	private final Comics comics;

	private final ToolProperties properties;

	ComicTool(Comics comics, ToolProperties properties) {
		this.comics = comics;
		this.properties = properties;
	}

	@Override
	public List<AssistantTool> tools(ToolContext context) {
		return unlessDisabled(properties);
	}

	@Override
	public ToolSpec spec() {
		return SPEC;
	}

	@Override
	public ToolOutcome run(String arguments, ToolContext context) {
		String idea = ToolArguments.read(arguments).required("idea", "Give the comic's idea as \"idea\".");
		if (context.requester() == null || context.place() == null) {
			throw new ToolFailure("A comic cannot be delivered to this conversation; suggest /comic instead.");
		}
		Comic comic;
		try {
			comic = comics.startRun(context.user().id(), idea, new ImageOrigin(context.requester(), context.place()));
		}
		catch (ComicException refused) {
			throw new ToolFailure(refused.getMessage());
		}
		return new ToolOutcome("Comic " + comic.id() + " started. The strip will be sent to the user in a minute "
				+ "or two; tell them so briefly.", "🖍️ Comic " + comic.id() + " started", null);
	}

}
