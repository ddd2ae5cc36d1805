package io.switchboard.image;

import java.util.ArrayList;
import java.util.List;

import io.switchboard.conversation.User;
import io.switchboard.image.view.JobView;
import io.switchboard.conversation.UserId;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The image studio page: a prompt with its parameters, the current job's card (progress,
 * the four candidates with U1-U4 / V1-V4 / reroll, or the upscale with Vary (Strong) /
 * Vary (Subtle), downloads), the job tree and my recent jobs. Server-rendered; htmx swaps
 * the fragments and a small script follows a running job's event stream.
 */
@Controller
class StudioController {

	static final int RECENT = 30;

	private final ImageJobs jobs;

	private final ImageProviders providers;

	private final WebUsers users;

	private final ImageApiController api;

	StudioController(ImageJobs jobs, ImageProviders providers, WebUsers users, ImageApiController api) {
		this.jobs = jobs;
		this.providers = providers;
		this.users = users;
		this.api = api;
	}

	@GetMapping("/studio")
	String page(Authentication auth, @RequestParam(required = false) Long job, Model model) {
		User me = users.of(auth);
		List<ImageJob> recent = jobs.list(me.id(), RECENT, 0);
		ImageJob current = job == null ? (recent.isEmpty() ? null : recent.getFirst())
				: jobs.find(me.id(), new ImageJobId(job)).orElse(null);
		model.addAttribute("providers", api.providers());
		model.addAttribute("defaultProvider", providers.defaultProvider().name());
		model.addAttribute("demoOnly", providers.all().stream().allMatch(ImageProviders.Entry::demo));
		model.addAttribute("recent", recent.stream().map(api::view).toList());
		model.addAttribute("job", current == null ? null : api.view(current));
		model.addAttribute("tree", current == null ? null : tree(me.id(), current));
		model.addAttribute("currentId", current == null ? null : current.id().value());
		return "image/studio";
	}

	@PostMapping("/studio/jobs")
	String create(Authentication auth, @RequestParam(defaultValue = "") String prompt,
			@RequestParam(defaultValue = "") String negativePrompt, @RequestParam(defaultValue = "") String provider,
			@RequestParam(defaultValue = "") String size, @RequestParam(defaultValue = "") String seed,
			@RequestParam(defaultValue = "") String steps, @RequestParam(defaultValue = "") String cfgScale,
			@RequestParam(defaultValue = "") String sampler, Model model, HttpServletResponse response) {
		try {
			if (prompt.isBlank()) {
				throw new ImageJobException.Rejected("Write a prompt: what should be drawn?");
			}
			Integer width = null;
			Integer height = null;
			if (!size.isBlank()) {
				String[] parts = size.toLowerCase().split("x");
				if (parts.length != 2) {
					throw new ImageJobException.Rejected("A size looks like 512x512.");
				}
				width = number(parts[0], "width").intValue();
				height = number(parts[1], "height").intValue();
			}
			ImageSettings settings = new ImageSettings(blank(provider), null, width, height,
					seed.isBlank() ? null : number(seed, "seed"),
					steps.isBlank() ? null : number(steps, "steps").intValue(),
					cfgScale.isBlank() ? null : decimal(cfgScale), blank(sampler));
			User me = users.of(auth);
			ImageJob job = jobs.imagine(me.id(), new ImageRequest(prompt, blank(negativePrompt), settings),
					WebUsers.origin(auth));
			return card(me.id(), job, model, response);
		}
		catch (ImageJobException refused) {
			return message(refused.getMessage(), model, response);
		}
	}

	@PostMapping("/studio/jobs/{id}/act/{code}")
	String act(Authentication auth, @PathVariable long id, @PathVariable String code, Model model,
			HttpServletResponse response) {
		try {
			ImageAction action = ImageAction.parse(code)
				.orElseThrow(() -> new ImageJobException.NotAllowed("Unknown action " + code + "."));
			User me = users.of(auth);
			return card(me.id(), jobs.act(me.id(), new ImageJobId(id), action, WebUsers.origin(auth)), model, response);
		}
		catch (ImageJobException refused) {
			return message(refused.getMessage(), model, response);
		}
	}

	@PostMapping("/studio/jobs/{id}/cancel")
	String cancel(Authentication auth, @PathVariable long id, Model model, HttpServletResponse response) {
		try {
			User me = users.of(auth);
			return card(me.id(), jobs.cancel(me.id(), new ImageJobId(id)), model, response);
		}
		catch (ImageJobException refused) {
			return message(refused.getMessage(), model, response);
		}
	}

	/** The job's card and its tree, as the current job. */
	@GetMapping("/studio/jobs/{id}")
	String show(Authentication auth, @PathVariable long id, Model model, HttpServletResponse response) {
		User me = users.of(auth);
		return jobs.find(me.id(), new ImageJobId(id))
			.map(job -> card(me.id(), job, model, response))
			.orElseGet(() -> message("There is no image #" + id + " of yours.", model, response));
	}

	@GetMapping("/studio/recent")
	String recent(Authentication auth, @RequestParam(required = false) Long current, Model model) {
		User me = users.of(auth);
		model.addAttribute("recent", jobs.list(me.id(), RECENT, 0).stream().map(api::view).toList());
		model.addAttribute("currentId", current);
		return "image/studio :: recent";
	}

	private String card(UserId me, ImageJob job, Model model, HttpServletResponse response) {
		model.addAttribute("job", api.view(job));
		model.addAttribute("tree", tree(me, job));
		model.addAttribute("currentId", job.id().value());
		// the recent list follows whatever became current
		response.setHeader("HX-Trigger", "studio-current");
		return "image/studio :: current";
	}

	private String message(String text, Model model, HttpServletResponse response) {
		model.addAttribute("message", text);
		response.setHeader("HX-Retarget", "#studio-message");
		response.setHeader("HX-Reswap", "innerHTML");
		return "image/studio :: message";
	}

	private JobView.Tree tree(UserId me, ImageJob job) {
		ImageJob root = job;
		for (int depth = 0; root.parent() != null && depth < 1000; depth++) {
			var parent = jobs.find(me, root.parent());
			if (parent.isEmpty()) {
				break;
			}
			root = parent.get();
		}
		return branch(me, root, 0);
	}

	private JobView.Tree branch(UserId me, ImageJob job, int depth) {
		List<JobView.Tree> children = new ArrayList<>();
		if (depth < 50) {
			for (ImageJob child : jobs.children(me, job.id())) {
				children.add(branch(me, child, depth + 1));
			}
		}
		return new JobView.Tree(api.view(job), children);
	}

	private static Long number(String text, String name) {
		try {
			return Long.parseLong(text.strip());
		}
		catch (NumberFormatException bad) {
			throw new ImageJobException.Rejected("The " + name + " must be a whole number, not " + text + ".");
		}
	}

	private static Double decimal(String text) {
		try {
			return Double.parseDouble(text.strip());
		}
		catch (NumberFormatException bad) {
			throw new ImageJobException.Rejected("The CFG scale must be a number, not " + text + ".");
		}
	}

	private static String blank(String value) {
		return value == null || value.isBlank() ? null : value.strip();
	}

}
