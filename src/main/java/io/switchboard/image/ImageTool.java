package io.switchboard.image;

import java.util.List;

import io.switchboard.assistant.AssistantTool;
import io.switchboard.assistant.ToolArguments;
import io.switchboard.assistant.ToolContext;
import io.switchboard.assistant.ToolOutcome;
import io.switchboard.assistant.ToolProperties;
import io.switchboard.assistant.ToolSource;
import io.switchboard.llm.ToolSpec;

import org.springframework.stereotype.Component;

/**
 * {@code draw_image}: "draw me a fox in the snow" in a chat starts the same job as
 * {@code /imagine} would, in the same place: four candidates with their buttons follow as
 * the job's updates, delivered where the question was asked.
 */
@Component
class ImageTool implements AssistantTool, ToolSource {

	static final String NAME = "draw_image";

	private static final ToolSpec SPEC = new ToolSpec(NAME,
			"Draw a picture: starts an image generator that sends the user four candidates, with buttons to "
					+ "upscale or vary them. Use it whenever the user asks for an image, drawing, photo or picture. "
					+ "Write the prompt in English, concrete and visual.",
			"""
					{"type":"object","properties":{
					"prompt":{"type":"string","description":"what to draw: subject, setting, style, light"},
					"aspect_ratio":{"type":"string","description":"e.g. 1:1, 16:9, 9:16; square when left out"}},
					"required":["prompt"]}""");

	private final ImageJobs jobs;

	private final ImageProviders providers;

	private final ToolProperties properties;

	ImageTool(ImageJobs jobs, ImageProviders providers, ToolProperties properties) {
		this.jobs = jobs;
		this.providers = providers;
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
		ToolArguments args = ToolArguments.read(arguments);
		String prompt = args.required("prompt", "Say what to draw in \"prompt\".");
		String ratio = args.text("aspect_ratio");
		if (!ratio.isEmpty() && !ratio.matches("\\d{1,2}:\\d{1,2}")) {
			throw new ToolFailure("aspect_ratio must look like 16:9.");
		}
		if (context.requester() == null || context.place() == null) {
			throw new ToolFailure("Images cannot be delivered to this conversation; suggest /imagine instead.");
		}
		String line = prompt.replace("--", "—") + (ratio.isEmpty() ? "" : " --ar " + ratio);
		ImageJob job;
		try {
			job = jobs.imagine(context.user().id(), PromptOptions.parse(line),
					new ImageOrigin(context.requester(), context.place()));
		}
		catch (ImageJobException refused) {
			throw new ToolFailure(refused.getMessage());
		}
		boolean demo = providers.find(job.provider()).map(ImageProviders.Entry::demo).orElse(false);
		return new ToolOutcome(
				"Image job " + job.id() + " started for the prompt \"" + job.prompt()
						+ "\". The user will receive four candidates with buttons to upscale or vary them in a moment; "
						+ "tell them so briefly, do not describe the image.",
				ImagePrompts.started(job, demo), job.id().value());
	}

}
