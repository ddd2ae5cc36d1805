package io.switchboard.image;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserId;
import io.switchboard.image.provider.MidjourneyProxyImageProvider;
import io.switchboard.image.view.JobView;
import io.switchboard.image.view.ProviderView;
import io.switchboard.media.MediaLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The REST API of image jobs for signed-in web users, under {@code /api/images}: create a
 * job, read it, act on a candidate (upscale, vary strong, vary subtle, reroll), list
 * mine, the job tree, cancel, and a Server-Sent Events stream of a job's progress. Bad
 * requests get a 4xx with an RFC 9457 problem body whose {@code detail} says what is
 * wrong and whose {@code code} names the kind of problem.
 */
@RestController
@RequestMapping("/api/images")
class ImageApiController {

	private static final Logger log = LoggerFactory.getLogger(ImageApiController.class);

	private final ImageJobs jobs;

	private final ImageProviders providers;

	private final WebUsers users;

	private final MediaLinks links;

	private final JobStreams streams;

	private final HookLinks hooks;

	private final JobStore store;

	private final ImageEngine engine;

	private final ObjectMapper json;

	ImageApiController(ImageJobs jobs, ImageProviders providers, WebUsers users, MediaLinks links, JobStreams streams,
			HookLinks hooks, JobStore store, ImageEngine engine, ObjectMapper json) {
		this.jobs = jobs;
		this.providers = providers;
		this.users = users;
		this.links = links;
		this.streams = streams;
		this.hooks = hooks;
		this.store = store;
		this.engine = engine;
		this.json = json;
	}

	/** What a new job asks for; everything but the prompt is optional. */
	record CreateJob(String prompt, String negativePrompt, String provider, String model, Integer width, Integer height,
			Long seed, Integer steps, Double cfgScale, String sampler) {
	}

	@GetMapping("/providers")
	List<ProviderView> providers() {
		String defaultName = providers.defaultProvider().name();
		return providers.all()
			.stream()
			.map(entry -> new ProviderView(entry.name(), entry.type().name().toLowerCase().replace('_', '-'),
					entry.demo(), entry.name().equals(defaultName)))
			.toList();
	}

	@PostMapping("/jobs")
	ResponseEntity<JobView> create(Authentication auth, @RequestBody CreateJob body) {
		if (body == null || body.prompt() == null || body.prompt().isBlank()) {
			throw new BadRequest("Write a prompt: what should be drawn?");
		}
		User me = users.of(auth);
		ImageJob job = jobs.imagine(me.id(),
				new ImageRequest(body.prompt(), body.negativePrompt(),
						new ImageSettings(blank(body.provider()), blank(body.model()), body.width(), body.height(),
								body.seed(), body.steps(), body.cfgScale(), blank(body.sampler()))),
				WebUsers.origin(auth));
		return created(job);
	}

	@GetMapping("/jobs")
	Map<String, Object> list(Authentication auth, @RequestParam(defaultValue = "20") int limit,
			@RequestParam(defaultValue = "0") int offset) {
		if (limit < 1 || limit > ImageJobs.MAX_LIST || offset < 0) {
			throw new BadRequest("limit goes from 1 to " + ImageJobs.MAX_LIST + " and offset from 0.");
		}
		User me = users.of(auth);
		return Map.of("jobs", jobs.list(me.id(), limit, offset).stream().map(this::view).toList(), "limit", limit,
				"offset", offset);
	}

	@GetMapping("/jobs/{id}")
	JobView get(Authentication auth, @PathVariable long id) {
		return view(find(users.of(auth).id(), id));
	}

	@PostMapping("/jobs/{id}/actions/{code}")
	ResponseEntity<JobView> act(Authentication auth, @PathVariable long id, @PathVariable String code) {
		ImageAction action = ImageAction.parse(code)
			.orElseThrow(() -> new BadRequest("Unknown action " + code
					+ ". Actions are U1-U4 (upscale), V1-V4 (vary strong), S1-S4 (vary subtle), RR (reroll), "
					+ "VX and VS (vary an upscale strongly or subtly)."));
		return act(auth, id, action);
	}

	@PostMapping("/jobs/{id}/upscale/{index}")
	ResponseEntity<JobView> upscale(Authentication auth, @PathVariable long id, @PathVariable int index) {
		return act(auth, id, new ImageAction.Upscale(index(index)));
	}

	@PostMapping({ "/jobs/{id}/vary-strong", "/jobs/{id}/vary-strong/{index}" })
	ResponseEntity<JobView> varyStrong(Authentication auth, @PathVariable long id,
			@PathVariable(required = false) Integer index) {
		return act(auth, id, new ImageAction.VaryStrong(index == null ? null : index(index)));
	}

	@PostMapping({ "/jobs/{id}/vary-subtle", "/jobs/{id}/vary-subtle/{index}" })
	ResponseEntity<JobView> varySubtle(Authentication auth, @PathVariable long id,
			@PathVariable(required = false) Integer index) {
		return act(auth, id, new ImageAction.VarySubtle(index == null ? null : index(index)));
	}

	@PostMapping("/jobs/{id}/reroll")
	ResponseEntity<JobView> reroll(Authentication auth, @PathVariable long id) {
		return act(auth, id, new ImageAction.Reroll());
	}

	@PostMapping("/jobs/{id}/cancel")
	JobView cancel(Authentication auth, @PathVariable long id) {
		return view(jobs.cancel(users.of(auth).id(), new ImageJobId(id)));
	}

	/** The whole tree the job belongs to, from its origin down. */
	@GetMapping("/jobs/{id}/tree")
	JobView.Tree tree(Authentication auth, @PathVariable long id) {
		UserId me = users.of(auth).id();
		ImageJob root = find(me, id);
		int depth = 0;
		while (root.parent() != null && depth++ < 1000) {
			var parent = jobs.find(me, root.parent());
			if (parent.isEmpty()) {
				break;
			}
			root = parent.get();
		}
		return tree(me, root, 0);
	}

	@GetMapping(path = "/jobs/{id}/events", produces = "text/event-stream")
	SseEmitter events(Authentication auth, @PathVariable long id) {
		UserId me = users.of(auth).id();
		find(me, id);
		return streams.open(id, () -> jobs.find(me, new ImageJobId(id)), this::view);
	}

	/**
	 * A provider's callback (midjourney-proxy's notify hook). Only the task id is read
	 * from it; the job then looks at its task at once, from the provider itself.
	 */
	@PostMapping("/hooks/{provider}")
	ResponseEntity<Void> hook(@PathVariable String provider, @RequestParam(required = false) String sig,
			@RequestBody(required = false) byte[] body) {
		if (!hooks.verify(provider, sig)) {
			return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
		}
		try {
			JsonNode task = body == null || body.length == 0 ? null : json.readTree(body);
			MidjourneyProxyImageProvider.taskIdOf(task)
				.flatMap(taskId -> store.findByTask(provider, taskId))
				.ifPresent(jobId -> engine.wakeNow(jobId));
		}
		catch (java.io.IOException unreadable) {
			log.debug("unreadable callback for {}: {}", provider, unreadable.getMessage());
		}
		return ResponseEntity.noContent().build();
	}

	private JobView.Tree tree(UserId me, ImageJob job, int depth) {
		List<JobView.Tree> children = new ArrayList<>();
		if (depth < 50) {
			for (ImageJob child : jobs.children(me, job.id())) {
				if (child.owner().equals(me) || jobs.find(me, child.id()).isPresent()) {
					children.add(tree(me, child, depth + 1));
				}
			}
		}
		return new JobView.Tree(view(job), children);
	}

	private ResponseEntity<JobView> act(Authentication auth, long id, ImageAction action) {
		ImageJob job = jobs.act(users.of(auth).id(), new ImageJobId(id), action, WebUsers.origin(auth));
		return created(job);
	}

	private ResponseEntity<JobView> created(ImageJob job) {
		return ResponseEntity.created(URI.create("/api/images/jobs/" + job.id().value())).body(view(job));
	}

	private ImageJob find(UserId me, long id) {
		return jobs.find(me, new ImageJobId(id))
			.orElseThrow(() -> new ImageJobException.NotFound("There is no image #" + id + " of yours."));
	}

	JobView view(ImageJob job) {
		return JobView.of(job, providers.find(job.provider()).map(ImageProviders.Entry::demo).orElse(false), links);
	}

	private static int index(int index) {
		if (index < 1 || index > 4) {
			throw new BadRequest("A candidate is numbered 1 to 4, not " + index + ".");
		}
		return index;
	}

	private static String blank(String value) {
		return value == null || value.isBlank() ? null : value;
	}

	// ------------------------------------------------------------------ errors

	@ExceptionHandler(ImageJobException.NotFound.class)
	ResponseEntity<ProblemDetail> notFound(ImageJobException.NotFound missing) {
		return problem(HttpStatus.NOT_FOUND, "not_found", missing.getMessage());
	}

	@ExceptionHandler(ImageJobException.NotAllowed.class)
	ResponseEntity<ProblemDetail> notAllowed(ImageJobException.NotAllowed refused) {
		return problem(HttpStatus.CONFLICT, "not_allowed", refused.getMessage());
	}

	@ExceptionHandler(ImageJobException.Rejected.class)
	ResponseEntity<ProblemDetail> rejected(ImageJobException.Rejected rejected) {
		return switch (rejected.reason()) {
			case QUEUE_FULL -> ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
				.header("Retry-After", "60")
				.body(body(HttpStatus.TOO_MANY_REQUESTS, "queue_full", rejected.getMessage()));
			case BANNED -> problem(HttpStatus.UNPROCESSABLE_ENTITY, "banned_prompt", rejected.getMessage());
			case UNKNOWN_PROVIDER -> problem(HttpStatus.BAD_REQUEST, "unknown_provider", rejected.getMessage());
			case INVALID -> problem(HttpStatus.BAD_REQUEST, "invalid_request", rejected.getMessage());
		};
	}

	@ExceptionHandler({ BadRequest.class, IllegalArgumentException.class })
	ResponseEntity<ProblemDetail> badRequest(RuntimeException bad) {
		return problem(HttpStatus.BAD_REQUEST, "invalid_request", bad.getMessage());
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException unreadable) {
		return problem(HttpStatus.BAD_REQUEST, "invalid_json",
				"The body must be a JSON object such as {\"prompt\": \"a lighthouse at dawn\"}; some value in it has the wrong type.");
	}

	@ExceptionHandler({ MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class })
	ResponseEntity<ProblemDetail> badParameter(Exception bad) {
		String name = bad instanceof MethodArgumentTypeMismatchException mismatch ? mismatch.getName()
				: ((MissingServletRequestParameterException) bad).getParameterName();
		return problem(HttpStatus.BAD_REQUEST, "invalid_request",
				"The parameter " + name + " is missing or not valid.");
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String code, String detail) {
		return ResponseEntity.status(status).body(body(status, code, detail));
	}

	private static ProblemDetail body(HttpStatus status, String code, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setProperty("code", code);
		return problem;
	}

	/** A request this API cannot read; the message says what is wrong. */
	static final class BadRequest extends RuntimeException {

		BadRequest(String message) {
			super(message);
		}

	}

}
