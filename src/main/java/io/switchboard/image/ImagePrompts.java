package io.switchboard.image;

import io.switchboard.assistant.CommandExtension;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.ModeHandler;
import io.switchboard.assistant.Reply;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ReplySink;
import io.switchboard.conversation.ChatMode;
import io.switchboard.conversation.User;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where chat messages become image jobs: {@code /imagine <prompt>} on any platform, and
 * every ordinary message of a user in image mode. Both answer at once with a notice that
 * the job started; the images follow as {@link ImageJobUpdated} events, which the asking
 * channel renders.
 */
@Configuration(proxyBeanMethods = false)
class ImagePrompts {

	@Bean
	CommandExtension imagineCommand(ImageJobs jobs, ImageProviders providers) {
		return new CommandExtension() {
			@Override
			public String name() {
				return "imagine";
			}

			@Override
			public String help() {
				return "`/imagine <prompt> [--no …] [--ar 16:9] [--seed n]` draw four candidates, then upscale or vary one";
			}

			@Override
			public void handle(User user, InboundMessage message, String arguments, ReplySink sink) {
				if (arguments == null || arguments.isBlank()) {
					sink.accept(new ReplyEvent.Notice(Reply
						.of("Write what to draw after `/imagine`, e.g. `/imagine a lighthouse at dawn, oil painting --ar 16:9`.")));
					return;
				}
				start(jobs, providers, user, message, arguments, sink);
			}
		};
	}

	/**
	 * {@code /image} acts on jobs by text, so a platform's buttons can simply send a
	 * command: {@code /image #12 U1} (or {@code V1}, {@code S1}, {@code VX}, {@code VS},
	 * {@code RR}), {@code /image #12} for where a job is, {@code /image cancel #12},
	 * {@code /image list}.
	 */
	@Bean
	CommandExtension imageCommand(ImageJobs jobs, ImageProviders providers) {
		return new CommandExtension() {
			@Override
			public String name() {
				return "image";
			}

			@Override
			public String help() {
				return "`/image #id U1-U4 | V1-V4 | VX | VS | RR` upscale, vary or reroll an image · `/image #id` · `/image cancel #id` · `/image list`";
			}

			@Override
			public void handle(User user, InboundMessage message, String arguments, ReplySink sink) {
				sink.accept(new ReplyEvent.Notice(
						imageCommandReply(jobs, providers, user, message, arguments == null ? "" : arguments.strip())));
			}
		};
	}

	static Reply imageCommandReply(ImageJobs jobs, ImageProviders providers, User user, InboundMessage message,
			String arguments) {
		String[] words = arguments.isEmpty() ? new String[0] : arguments.split("\\s+");
		if (words.length == 0 || words[0].equalsIgnoreCase("list")) {
			java.util.List<ImageJob> recent = jobs.list(user.id(), 5, 0);
			if (recent.isEmpty()) {
				return Reply.of("You have no images yet. Try `/imagine a lighthouse at dawn`.");
			}
			StringBuilder text = new StringBuilder("**Your latest images**\n");
			java.util.List<Reply.Action> buttons = new java.util.ArrayList<>();
			for (ImageJob job : recent) {
				text.append(describe(job)).append('\n');
				buttons.add(Reply.Action.of(job.id().toString(), "/image " + job.id()));
			}
			return new Reply(text.toString().strip(), buttons);
		}
		ImageJobId id = null;
		String code = null;
		boolean cancel = false;
		for (String word : words) {
			if (word.startsWith("#") && word.length() > 1) {
				try {
					id = new ImageJobId(Long.parseLong(word.substring(1)));
				}
				catch (NumberFormatException notAnId) {
					return Reply.of("`" + word + "` is not an image number, such as `#12`.");
				}
			}
			else if (word.equalsIgnoreCase("cancel")) {
				cancel = true;
			}
			else if (ImageAction.parse(word).isPresent()) {
				code = word;
			}
			else {
				return Reply
					.of("`/image` understands an image number (`#12`), an action (U1-U4, V1-V4, S1-S4, VX, VS, RR), `cancel` and `list`; not `"
							+ word + "`.");
			}
		}
		if (id == null) {
			return Reply.of("Which image? Give its number, e.g. `/image #12 U1`.");
		}
		try {
			if (cancel) {
				return Reply.of("Image " + jobs.cancel(user.id(), id).id() + " is cancelled.");
			}
			if (code == null) {
				ImageJob job = jobs.find(user.id(), id)
					.orElseThrow(() -> new ImageJobException.NotFound(
							"There is no image " + lookedFor(arguments) + " of yours."));
				return new Reply(describe(job),
						job.actions()
							.stream()
							.map(action -> Reply.Action.of(action.label(), "/image " + job.id() + " " + action.code()))
							.toList(),
						job.id().value());
			}
			ImageJob started = jobs.act(user.id(), id, ImageAction.parse(code).orElseThrow(),
					new ImageOrigin(message.sender(), message.place()));
			boolean demo = providers.find(started.provider()).map(ImageProviders.Entry::demo).orElse(false);
			return Reply
				.of("🎨 " + ImageAction.parse(code).orElseThrow().doing() + " of image " + id + ": image "
						+ started.id() + " started."
						+ (demo ? " _Demo provider: drawn locally, not by a real model._" : ""))
				.withImageJob(started.id().value());
		}
		catch (ImageJobException refused) {
			return Reply.of(refused.getMessage());
		}
	}

	private static String lookedFor(String arguments) {
		for (String word : arguments.split("\\s+")) {
			if (word.startsWith("#")) {
				return word;
			}
		}
		return "";
	}

	private static String describe(ImageJob job) {
		String prompt = job.prompt().length() > 80 ? job.prompt().substring(0, 80) + "…" : job.prompt();
		String state = switch (job.state()) {
			case RUNNING -> "running, " + job.progress() + "%";
			case FAILED -> "failed: " + job.failureReason();
			default -> job.state().name().toLowerCase(java.util.Locale.ROOT);
		};
		return "`" + job.id() + "` " + job.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " “"
				+ prompt + "” · " + state;
	}

	@Bean
	ModeHandler imageModeHandler(ImageJobs jobs, ImageProviders providers) {
		return new ModeHandler() {
			@Override
			public ChatMode mode() {
				return ChatMode.IMAGE;
			}

			@Override
			public void handle(User user, InboundMessage message, ReplySink sink) {
				if (message.text().isBlank()) {
					sink.accept(new ReplyEvent.Notice(Reply.of(
							"You are in image mode: send a text prompt to draw it, or `/mode chat` to chat again.",
							Reply.Action.of("Chat mode", "/mode chat"))));
					return;
				}
				start(jobs, providers, user, message, message.text(), sink);
			}
		};
	}

	static void start(ImageJobs jobs, ImageProviders providers, User user, InboundMessage message, String line,
			ReplySink sink) {
		ImageJob job;
		try {
			job = jobs.imagine(user.id(), PromptOptions.parse(line),
					new ImageOrigin(message.sender(), message.place()));
		}
		catch (ImageJobException refused) {
			sink.accept(new ReplyEvent.Notice(Reply.of(refused.getMessage())));
			return;
		}
		boolean demo = providers.find(job.provider()).map(ImageProviders.Entry::demo).orElse(false);
		sink.accept(new ReplyEvent.Notice(Reply.of(started(job, demo)).withImageJob(job.id().value())));
	}

	static String started(ImageJob job, boolean demo) {
		String prompt = job.prompt().length() > 200 ? job.prompt().substring(0, 200) + "…" : job.prompt();
		return "🎨 Image " + job.id() + " started: “" + prompt + "”. Four candidates are on their way."
				+ (demo ? " _Demo provider: drawn locally, not by a real model._" : "");
	}

}
