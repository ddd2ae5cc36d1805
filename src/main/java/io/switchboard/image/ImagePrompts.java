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
		sink.accept(new ReplyEvent.Notice(Reply.of(started(job, demo))));
	}

	static String started(ImageJob job, boolean demo) {
		String prompt = job.prompt().length() > 200 ? job.prompt().substring(0, 200) + "…" : job.prompt();
		return "🎨 Image " + job.id() + " started: “" + prompt + "”. Four candidates are on their way."
				+ (demo ? " _Demo provider: drawn locally, not by a real model._" : "");
	}

}
