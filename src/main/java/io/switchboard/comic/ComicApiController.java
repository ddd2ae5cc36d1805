package io.switchboard.comic;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.User;
import io.switchboard.image.ImageOrigin;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The comic studio's steps as JSON for signed-in users (the web session's cookie, and its
 * CSRF token in the {@code X-CSRF-TOKEN} header for changes). Every answer is the whole
 * comic; refusals are RFC 9457 problem details with a message for the user: 400 bad
 * input, 401 not signed in, 403 no CSRF token, 404 no such comic, 409 a step that needs
 * an earlier one, 429 a full image queue, 502/503 the model failed.
 */
@RestController
@RequestMapping("/api/comics")
class ComicApiController {

	private final Comics comics;

	private final ComicViews views;

	ComicApiController(Comics comics, ComicViews views) {
		this.comics = comics;
		this.views = views;
	}

	record CreateRequest(String idea, String genre, String style, String preset, String model, String layout) {
	}

	record PanelTextRequest(String scene, String characters, String dialogue, String caption) {
	}

	record StoryRequest(String title, List<PanelTextRequest> panels) {
	}

	record PanelPromptRequest(String prompt, String negativePrompt) {
	}

	record PromptsRequest(String characterSheet, String styleLine, List<PanelPromptRequest> panels) {
	}

	record VaryRequest(Integer candidate, String strength) {
	}

	record ChoiceRequest(Integer candidate) {
	}

	record StripRequest(String layout) {
	}

	record Page(List<ComicView> comics, int limit, int offset) {
	}

	@GetMapping
	Page list(Authentication auth, @RequestParam(defaultValue = "20") int limit,
			@RequestParam(defaultValue = "0") int offset) {
		User me = views.user(auth);
		return new Page(comics.list(me.id(), limit, offset).stream().map(views::view).toList(),
				Math.max(1, Math.min(Comics.MAX_LIST, limit)), Math.max(0, offset));
	}

	@GetMapping("/presets")
	Map<String, ComicProperties.Preset> presets() {
		return comics.presets();
	}

	@PostMapping
	ResponseEntity<ComicView> create(Authentication auth, @RequestBody CreateRequest request) {
		User me = views.user(auth);
		Comic comic = comics.create(me.id(), idea(request),
				new ImageOrigin(new PlatformUserId(ComicViews.WEB, auth.getName()),
						new Place(ComicViews.WEB, io.switchboard.conversation.PlaceKind.API, null, null)));
		return ResponseEntity.created(URI.create("/api/comics/" + comic.id().value())).body(views.view(comic));
	}

	@GetMapping("/{id}")
	ComicView get(Authentication auth, @PathVariable long id) {
		return views.view(comics.get(views.user(auth).id(), new ComicId(id)));
	}

	@PutMapping("/{id}/idea")
	ComicView updateIdea(Authentication auth, @PathVariable long id, @RequestBody CreateRequest request) {
		return views.view(comics.updateIdea(views.user(auth).id(), new ComicId(id), idea(request)));
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(Authentication auth, @PathVariable long id) {
		comics.delete(views.user(auth).id(), new ComicId(id));
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/{id}/story")
	ComicView writeStory(Authentication auth, @PathVariable long id) {
		return views.view(comics.writeStory(views.user(auth).id(), new ComicId(id)));
	}

	@PutMapping("/{id}/story")
	ComicView editStory(Authentication auth, @PathVariable long id, @RequestBody StoryRequest request) {
		List<StoryEdit.PanelText> panels = request.panels() == null ? List.of() : request.panels()
			.stream()
			.map(panel -> panel == null ? null
					: new StoryEdit.PanelText(panel.scene(), panel.characters(), panel.dialogue(), panel.caption()))
			.toList();
		return views
			.view(comics.editStory(views.user(auth).id(), new ComicId(id), new StoryEdit(request.title(), panels)));
	}

	@PostMapping("/{id}/panels/{index}/story")
	ComicView rewritePanel(Authentication auth, @PathVariable long id, @PathVariable int index) {
		return views.view(comics.rewritePanel(views.user(auth).id(), new ComicId(id), index));
	}

	@PostMapping("/{id}/prompts")
	ComicView writePrompts(Authentication auth, @PathVariable long id) {
		return views.view(comics.writePrompts(views.user(auth).id(), new ComicId(id)));
	}

	@PutMapping("/{id}/prompts")
	ComicView editPrompts(Authentication auth, @PathVariable long id, @RequestBody PromptsRequest request) {
		List<PromptsEdit.PanelPrompt> panels = request.panels() == null ? List.of()
				: request.panels()
					.stream()
					.map(panel -> panel == null ? new PromptsEdit.PanelPrompt(null, null)
							: new PromptsEdit.PanelPrompt(panel.prompt(), panel.negativePrompt()))
					.toList();
		return views.view(comics.editPrompts(views.user(auth).id(), new ComicId(id),
				new PromptsEdit(request.characterSheet(), request.styleLine(), panels)));
	}

	@PutMapping("/{id}/settings")
	ComicView settings(Authentication auth, @PathVariable long id, @RequestBody PanelSettings settings) {
		return views.view(comics.updateSettings(views.user(auth).id(), new ComicId(id), settings));
	}

	@PostMapping("/{id}/panels")
	ComicView drawPanels(Authentication auth, @PathVariable long id) {
		return views.view(comics.drawPanels(views.user(auth).id(), new ComicId(id)));
	}

	@PostMapping("/{id}/panels/{index}/draw")
	ComicView drawPanel(Authentication auth, @PathVariable long id, @PathVariable int index) {
		return views.view(comics.drawPanel(views.user(auth).id(), new ComicId(id), index));
	}

	@PostMapping("/{id}/panels/{index}/reroll")
	ComicView reroll(Authentication auth, @PathVariable long id, @PathVariable int index) {
		return views.view(comics.rerollPanel(views.user(auth).id(), new ComicId(id), index));
	}

	@PostMapping("/{id}/panels/{index}/vary")
	ComicView vary(Authentication auth, @PathVariable long id, @PathVariable int index,
			@RequestBody VaryRequest request) {
		if (request.candidate() == null) {
			throw new ComicException.Invalid("Say which candidate to vary: \"candidate\": 1 to 4.");
		}
		boolean strong = switch (request.strength() == null ? "strong" : request.strength()) {
			case "strong" -> true;
			case "subtle" -> false;
			default ->
				throw new ComicException.Invalid("\"strength\" is strong or subtle, not " + request.strength() + ".");
		};
		return views.view(comics.varyPanel(views.user(auth).id(), new ComicId(id), index, request.candidate(), strong));
	}

	@PutMapping("/{id}/panels/{index}/choice")
	ComicView choose(Authentication auth, @PathVariable long id, @PathVariable int index,
			@RequestBody ChoiceRequest request) {
		if (request.candidate() == null) {
			throw new ComicException.Invalid("Say which candidate becomes the panel: \"candidate\": 1 to 4.");
		}
		return views.view(comics.choose(views.user(auth).id(), new ComicId(id), index, request.candidate()));
	}

	@PostMapping("/{id}/strip")
	ComicView compose(Authentication auth, @PathVariable long id, @RequestBody(required = false) StripRequest request) {
		Layout layout = null;
		if (request != null && request.layout() != null) {
			layout = Layout.parse(request.layout())
				.orElseThrow(() -> new ComicException.Invalid(
						"\"layout\" is vertical (four-cut) or grid (2x2), not " + request.layout() + "."));
		}
		return views.view(comics.compose(views.user(auth).id(), new ComicId(id), layout));
	}

	private Layout layoutOrNull(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		return Layout.parse(value)
			.orElseThrow(() -> new ComicException.Invalid(
					"\"layout\" is vertical (four-cut) or grid (2x2), not " + value + "."));
	}

	private ComicIdea idea(CreateRequest request) {
		if (request == null) {
			throw new ComicException.Invalid("Send the idea as JSON: {\"idea\": \"...\"}.");
		}
		String genre = request.genre();
		String style = request.style();
		if (request.preset() != null && !request.preset().isBlank()) {
			ComicProperties.Preset preset = comics.presets().get(request.preset());
			if (preset == null) {
				throw new ComicException.Invalid("There is no preset called " + request.preset() + ". Choose one of: "
						+ String.join(", ", comics.presets().keySet()) + ".");
			}
			genre = genre == null || genre.isBlank() ? preset.genre() : genre;
			style = style == null || style.isBlank() ? preset.style() : style;
		}
		return new ComicIdea(request.idea(), genre, style, request.model(), layoutOrNull(request.layout()));
	}

	@ExceptionHandler(ComicException.class)
	ResponseEntity<ProblemDetail> refused(ComicException refused) {
		HttpStatus status = switch (refused) {
			case ComicException.NotFound notFound -> HttpStatus.NOT_FOUND;
			case ComicException.Invalid invalid -> HttpStatus.BAD_REQUEST;
			case ComicException.NotReady notReady -> HttpStatus.CONFLICT;
			case ComicException.ModelFailed failed ->
				failed.mayPass() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY;
			case ComicException.ImageRefused image ->
				image.queueFull() ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.BAD_REQUEST;
			default -> HttpStatus.BAD_REQUEST;
		};
		return problem(status, refused.getMessage());
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException unreadable) {
		return problem(HttpStatus.BAD_REQUEST, "The request body is not the JSON this step expects.");
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<ProblemDetail> mismatch(MethodArgumentTypeMismatchException mismatch) {
		return problem(HttpStatus.BAD_REQUEST,
				"\"" + mismatch.getValue() + "\" is not a valid " + mismatch.getName() + ".");
	}

	static ResponseEntity<ProblemDetail> problem(HttpStatus status, String message) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
		return ResponseEntity.status(status).body(problem);
	}

}
