package io.switchboard.comic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.image.ImageOrigin;
import io.switchboard.llm.ModelCatalog;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The comic studio page: the gallery of the user's comics, and one comic's five steps
 * (idea, story, prompts, panels, strip) with a "next" button from each to the following
 * one. Everything runs on the server (the model and image keys never reach the browser);
 * the page's script only shows panel progress from server-sent events and disables
 * buttons while the model writes.
 */
@Controller
class ComicStudioController {

	static final List<String> STEPS = List.of("idea", "story", "prompts", "panels", "strip");

	private final Comics comics;

	private final ComicViews views;

	private final ModelCatalog models;

	private final ComicUpdates updates;

	ComicStudioController(Comics comics, ComicViews views, ModelCatalog models, ComicUpdates updates) {
		this.comics = comics;
		this.views = views;
		this.models = models;
		this.updates = updates;
	}

	@GetMapping("/comics")
	String gallery(Authentication auth, Model model) {
		User me = views.user(auth);
		model.addAttribute("comics", comics.list(me.id(), Comics.MAX_LIST, 0).stream().map(views::summary).toList());
		addChoices(model);
		return "comic/gallery";
	}

	@PostMapping("/comics")
	String create(Authentication auth, @RequestParam(defaultValue = "") String idea,
			@RequestParam(defaultValue = "") String genre, @RequestParam(defaultValue = "") String style,
			@RequestParam(defaultValue = "") String preset, @RequestParam(defaultValue = "") String model,
			@RequestParam(defaultValue = "") String layout, RedirectAttributes redirect) {
		User me = views.user(auth);
		Comic comic;
		try {
			comic = comics.create(me.id(), idea(idea, genre, style, preset, model, layout), studioOrigin(auth));
		}
		catch (ComicException refused) {
			redirect.addFlashAttribute("error", refused.getMessage());
			return "redirect:/comics";
		}
		return writeStoryThenShow(me, comic.id(), redirect);
	}

	@GetMapping("/comics/{id}")
	String studio(Authentication auth, @PathVariable long id, @RequestParam(required = false) String step,
			Model model) {
		User me = views.user(auth);
		Comic comic = comics.get(me.id(), new ComicId(id));
		String shown = step != null && STEPS.contains(step) ? step : comic.stage().key();
		model.addAttribute("view", views.view(comic));
		model.addAttribute("step", shown);
		model.addAttribute("steps", STEPS);
		model.addAttribute("reached", STEPS.subList(0, comic.stage().ordinal() + 1));
		addChoices(model);
		return "comic/studio";
	}

	@GetMapping("/comics/{id}/panels/{index}")
	String panelFragment(Authentication auth, @PathVariable long id, @PathVariable int index, Model model) {
		User me = views.user(auth);
		ComicView view = views.view(comics.get(me.id(), new ComicId(id)));
		if (index < 1 || index > 4) {
			throw new ComicException.NotFound("A comic has panels 1 to 4.");
		}
		model.addAttribute("view", view);
		model.addAttribute("p", view.panels().get(index - 1));
		return "comic/studio :: panelCard";
	}

	@GetMapping(path = "/comics/{id}/events", produces = "text/event-stream")
	SseEmitter events(Authentication auth, @PathVariable long id) {
		User me = views.user(auth);
		Comic comic = comics.get(me.id(), new ComicId(id));
		return updates.watch(comic.id());
	}

	@PostMapping("/comics/{id}/idea")
	String saveIdea(Authentication auth, @PathVariable long id, @RequestParam(defaultValue = "") String idea,
			@RequestParam(defaultValue = "") String genre, @RequestParam(defaultValue = "") String style,
			@RequestParam(defaultValue = "") String preset, @RequestParam(defaultValue = "") String model,
			@RequestParam(defaultValue = "") String layout, @RequestParam(defaultValue = "save") String action,
			RedirectAttributes redirect) {
		User me = views.user(auth);
		ComicId comicId = new ComicId(id);
		return step(redirect, comicId, "idea", () -> {
			Comic comic = comics.updateIdea(me.id(), comicId, idea(idea, genre, style, preset, model, layout));
			if ("next".equals(action)) {
				if (!comic.stage().reached(ComicStage.STORY)) {
					comics.writeStory(me.id(), comicId);
				}
				return "story";
			}
			if ("write".equals(action)) {
				comics.writeStory(me.id(), comicId);
				return "story";
			}
			redirect.addFlashAttribute("flash", "Idea saved.");
			return "idea";
		});
	}

	@PostMapping("/comics/{id}/story")
	String saveStory(Authentication auth, @PathVariable long id, @RequestParam(defaultValue = "") String title,
			@RequestParam(name = "scene", required = false) List<String> scenes,
			@RequestParam(name = "characters", required = false) List<String> characters,
			@RequestParam(name = "dialogue", required = false) List<String> dialogues,
			@RequestParam(name = "caption", required = false) List<String> captions,
			@RequestParam(defaultValue = "save") String action, RedirectAttributes redirect) {
		User me = views.user(auth);
		ComicId comicId = new ComicId(id);
		return step(redirect, comicId, "story", () -> {
			if ("write".equals(action)) {
				comics.writeStory(me.id(), comicId);
				redirect.addFlashAttribute("flash", "A new story was written.");
				return "story";
			}
			if (action.startsWith("rewrite-")) {
				// the edits so far are kept before one panel is written anew
				comics.editStory(me.id(), comicId, story(title, scenes, characters, dialogues, captions));
				int index = panelNumber(action.substring("rewrite-".length()));
				comics.rewritePanel(me.id(), comicId, index);
				redirect.addFlashAttribute("flash", "Panel " + index + " was written anew.");
				return "story";
			}
			Comic comic = comics.editStory(me.id(), comicId, story(title, scenes, characters, dialogues, captions));
			if ("next".equals(action)) {
				if (!comic.stage().reached(ComicStage.PROMPTS)) {
					comics.writePrompts(me.id(), comicId);
				}
				return "prompts";
			}
			redirect.addFlashAttribute("flash", "Story saved.");
			return "story";
		});
	}

	@PostMapping("/comics/{id}/prompts")
	String savePrompts(Authentication auth, @PathVariable long id,
			@RequestParam(defaultValue = "") String characterSheet, @RequestParam(defaultValue = "") String styleLine,
			@RequestParam(name = "prompt", required = false) List<String> prompts,
			@RequestParam(name = "negativePrompt", required = false) List<String> negatives,
			@RequestParam(defaultValue = "save") String action, RedirectAttributes redirect) {
		User me = views.user(auth);
		ComicId comicId = new ComicId(id);
		return step(redirect, comicId, "prompts", () -> {
			if ("write".equals(action)) {
				comics.writePrompts(me.id(), comicId);
				redirect.addFlashAttribute("flash", "New prompts were written.");
				return "prompts";
			}
			List<PromptsEdit.PanelPrompt> panels = new ArrayList<>();
			for (int i = 0; i < size(prompts); i++) {
				panels.add(new PromptsEdit.PanelPrompt(prompts.get(i), at(negatives, i)));
			}
			Comic comic = comics.editPrompts(me.id(), comicId, new PromptsEdit(characterSheet, styleLine, panels));
			if ("next".equals(action)) {
				if (!comic.stage().reached(ComicStage.PANELS)) {
					comics.drawPanels(me.id(), comicId);
				}
				return "panels";
			}
			redirect.addFlashAttribute("flash", "Prompts saved.");
			return "prompts";
		});
	}

	@PostMapping("/comics/{id}/settings")
	String saveSettings(Authentication auth, @PathVariable long id, @RequestParam(defaultValue = "") String provider,
			@RequestParam(defaultValue = "") String seed, @RequestParam(defaultValue = "") String steps,
			@RequestParam(defaultValue = "") String cfgScale, @RequestParam(defaultValue = "") String sampler,
			@RequestParam(defaultValue = "save") String action, RedirectAttributes redirect) {
		User me = views.user(auth);
		ComicId comicId = new ComicId(id);
		return step(redirect, comicId, "panels", () -> {
			comics.updateSettings(me.id(), comicId, new PanelSettings(provider, number(seed, "The seed"),
					integer(steps, "Steps"), decimal(cfgScale, "The CFG scale"), sampler));
			if ("draw".equals(action)) {
				comics.drawPanels(me.id(), comicId);
				redirect.addFlashAttribute("flash", "All four panels are being drawn anew.");
			}
			else {
				redirect.addFlashAttribute("flash", "Image settings saved; they apply to panels drawn from now on.");
			}
			return "panels";
		});
	}

	@PostMapping("/comics/{id}/panels/{index}/{action}")
	String panelAction(Authentication auth, @PathVariable long id, @PathVariable int index, @PathVariable String action,
			@RequestParam(defaultValue = "0") int candidate, RedirectAttributes redirect) {
		User me = views.user(auth);
		ComicId comicId = new ComicId(id);
		return step(redirect, comicId, "panels", () -> {
			switch (action) {
				case "draw" -> comics.drawPanel(me.id(), comicId, index);
				case "reroll" -> comics.rerollPanel(me.id(), comicId, index);
				case "vary-strong" -> comics.varyPanel(me.id(), comicId, index, candidate, true);
				case "vary-subtle" -> comics.varyPanel(me.id(), comicId, index, candidate, false);
				case "choose" -> comics.choose(me.id(), comicId, index, candidate);
				default -> throw new ComicException.Invalid("There is no panel action called " + action + ".");
			}
			return "panels";
		});
	}

	@PostMapping("/comics/{id}/strip")
	String compose(Authentication auth, @PathVariable long id, @RequestParam(defaultValue = "") String layout,
			RedirectAttributes redirect) {
		User me = views.user(auth);
		ComicId comicId = new ComicId(id);
		return step(redirect, comicId, "strip", () -> {
			Layout chosen = layout.isBlank() ? null : Layout.parse(layout)
				.orElseThrow(() -> new ComicException.Invalid("A layout is vertical or grid, not " + layout + "."));
			comics.compose(me.id(), comicId, chosen);
			return "strip";
		});
	}

	@PostMapping("/comics/{id}/delete")
	String delete(Authentication auth, @PathVariable long id, RedirectAttributes redirect) {
		User me = views.user(auth);
		comics.delete(me.id(), new ComicId(id));
		redirect.addFlashAttribute("flash", "Comic #" + id + " was deleted.");
		return "redirect:/comics";
	}

	@ExceptionHandler(ComicException.NotFound.class)
	@ResponseStatus(HttpStatus.NOT_FOUND)
	String notFound(ComicException.NotFound missing, Model model) {
		model.addAttribute("message", missing.getMessage());
		return "web/not-found";
	}

	/**
	 * Runs a step; a refusal goes back to the step it came from with the reason shown.
	 */
	private String step(RedirectAttributes redirect, ComicId id, String from, StepAction action) {
		try {
			return "redirect:/comics/" + id.value() + "?step=" + action.run();
		}
		catch (ComicException.NotFound missing) {
			throw missing;
		}
		catch (ComicException refused) {
			redirect.addFlashAttribute("error", refused.getMessage());
			return "redirect:/comics/" + id.value() + "?step=" + from;
		}
	}

	@FunctionalInterface
	private interface StepAction {

		/** Does the step's work and names the step to show next. */
		String run();

	}

	private String writeStoryThenShow(User me, ComicId id, RedirectAttributes redirect) {
		return step(redirect, id, "idea", () -> {
			comics.writeStory(me.id(), id);
			return "story";
		});
	}

	private void addChoices(Model model) {
		model.addAttribute("models", models.all());
		model.addAttribute("presets", comics.presets());
		model.addAttribute("layouts", List.of(Layout.VERTICAL.key(), Layout.GRID.key()));
		model.addAttribute("defaultLayout", comics.defaultLayout().key());
		model.addAttribute("missingFonts", comics.missingFontScripts());
	}

	private ComicIdea idea(String idea, String genre, String style, String preset, String model, String layout) {
		String g = genre;
		String s = style;
		if (!preset.isBlank()) {
			ComicProperties.Preset chosen = comics.presets().get(preset);
			if (chosen == null) {
				throw new ComicException.Invalid("There is no preset called " + preset + ".");
			}
			g = g.isBlank() ? chosen.genre() : g;
			s = s.isBlank() ? chosen.style() : s;
		}
		Layout l = layout.isBlank() ? null : Layout.parse(layout)
			.orElseThrow(() -> new ComicException.Invalid("A layout is vertical or grid, not " + layout + "."));
		return new ComicIdea(idea, g, s, model.isBlank() ? null : model, l);
	}

	private static StoryEdit story(String title, List<String> scenes, List<String> characters, List<String> dialogues,
			List<String> captions) {
		List<StoryEdit.PanelText> panels = new ArrayList<>();
		for (int i = 0; i < size(scenes); i++) {
			panels.add(new StoryEdit.PanelText(scenes.get(i), at(characters, i), at(dialogues, i), at(captions, i)));
		}
		return new StoryEdit(title, panels);
	}

	private static ImageOrigin studioOrigin(Authentication auth) {
		return new ImageOrigin(new PlatformUserId(ComicViews.WEB, auth.getName()), Place.web());
	}

	private static int panelNumber(String text) {
		try {
			return Integer.parseInt(text);
		}
		catch (NumberFormatException bad) {
			throw new ComicException.Invalid("A comic has panels 1 to 4, not " + text + ".");
		}
	}

	private static int size(List<String> values) {
		return values == null ? 0 : values.size();
	}

	private static String at(List<String> values, int index) {
		return values == null || index >= values.size() ? "" : values.get(index);
	}

	private static Long number(String value, String what) {
		if (value.isBlank()) {
			return null;
		}
		try {
			return Long.parseLong(value.strip());
		}
		catch (NumberFormatException bad) {
			throw new ComicException.Invalid(what + " must be a whole number, not " + value + ".");
		}
	}

	private static Integer integer(String value, String what) {
		Long number = number(value, what);
		if (number != null && (number > Integer.MAX_VALUE || number < Integer.MIN_VALUE)) {
			throw new ComicException.Invalid(what + " is out of range.");
		}
		return number == null ? null : number.intValue();
	}

	private static Double decimal(String value, String what) {
		if (value.isBlank()) {
			return null;
		}
		try {
			return Double.parseDouble(value.strip().toLowerCase(Locale.ROOT));
		}
		catch (NumberFormatException bad) {
			throw new ComicException.Invalid(what + " must be a number, not " + value + ".");
		}
	}

}
