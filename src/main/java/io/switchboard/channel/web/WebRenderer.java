package io.switchboard.channel.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.Reply;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ToolSteps;
import io.switchboard.channel.ChannelRenderer;
import io.switchboard.channel.LiveAnswer;
import io.switchboard.channel.Outbound;
import io.switchboard.channel.Outgoing;
import io.switchboard.channel.Sent;
import io.switchboard.conversation.Exchange;
import io.switchboard.conversation.MessagePart;
import io.switchboard.media.MediaLinks;
import io.switchboard.voice.Speech;
import io.switchboard.voice.Spoken;

import org.springframework.stereotype.Component;

/**
 * The chat page's side of the pipeline. While a model writes, the live view streams
 * {@code queued}, {@code started} and {@code delta} events to the message's open event
 * stream; the delivery then sends {@code done} with the answer rendered (or {@code error}
 * with why there is none), or a {@code notice} per command reply, and ends the stream.
 * The page has no standing line to the user beyond that stream: image jobs are followed
 * on their own stream, and whatever the page missed is in the session's history.
 */
@Component
class WebRenderer implements ChannelRenderer<WebAddress, Void> {

	private final WebStreams streams;

	private final MarkdownRenderer markdown;

	private final MediaLinks links;

	private final Assistant assistant;

	private final Speech speech;

	WebRenderer(WebStreams streams, MarkdownRenderer markdown, MediaLinks links, Assistant assistant, Speech speech) {
		this.speech = speech;
		this.streams = streams;
		this.markdown = markdown;
		this.links = links;
		this.assistant = assistant;
	}

	@Override
	public String platform() {
		return WebAccounts.PLATFORM;
	}

	@Override
	public Class<WebAddress> addressType() {
		return WebAddress.class;
	}

	@Override
	public Class<Void> refsType() {
		return Void.class;
	}

	@Override
	public String lane(WebAddress address) {
		return "web:" + address.user();
	}

	@Override
	public Sent<Void> send(Outgoing<WebAddress, Void> outgoing) {
		String stream = outgoing.address().stream();
		switch (outgoing.content()) {
			case Outbound.Answer answer -> {
				Exchange exchange = answer.exchange();
				if (exchange.answer().answered()) {
					streams.send(stream, "done", done(exchange, answer.demo(), answer.speech()));
					if (assistant.confirmationAsked(exchange.answerId()).isPresent()) {
						// the tool's question follows as a notice on this stream, and
						// ends it
						return new Sent<>(null, null);
					}
				}
				else {
					streams.send(stream, "error", Map.of("message", exchange.answer().note()));
				}
			}
			case Outbound.Notices notices -> {
				notices.replies().forEach(reply -> streams.send(stream, "notice", notice(reply)));
				if (notices.answerFollows()) {
					// what was heard in a voice message: its answer streams next, on this
					// stream
					return new Sent<>(null, null);
				}
			}
			case Outbound.Image image -> {
				// the page follows a job on the job's own stream
			}
			case Outbound.Comic comic -> {
				// the studio shows comics
			}
		}
		streams.complete(stream);
		return new Sent<>(null, null);
	}

	/** The page's stream shows them at once, before the answer ends it. */
	@Override
	public boolean showsTurnNotices() {
		return true;
	}

	@Override
	public LiveAnswer live(WebAddress address, Void refs, Consumer<Void> saveRefs) {
		return new LiveAnswer() {
			@Override
			public void queued(int ahead) {
				streams.send(address.stream(), "queued", Map.of("ahead", ahead));
			}

			@Override
			public void accept(ReplyEvent event) {
				switch (event) {
					case ReplyEvent.AnswerStarted started -> streams.send(address.stream(), "started", Map.of("model",
							started.model(), "demo", started.demo(), "sessionId", started.session().value()));
					case ReplyEvent.AnswerDelta delta ->
						streams.send(address.stream(), "delta", Map.of("text", delta.text()));
					case ReplyEvent.ToolUsed used -> {
						Map<String, Object> step = new LinkedHashMap<>();
						step.put("tool", used.tool());
						step.put("summary", used.summary() == null ? "" : used.summary());
						step.put("error", used.error());
						if (used.imageJob() != null) {
							step.put("imageJob", used.imageJob());
						}
						streams.send(address.stream(), "tool", step);
					}
					// a fact proposed to remember, with its buttons
					case ReplyEvent.Notice notice -> streams.send(address.stream(), "notice", notice(notice.reply()));
					default -> {
						// the delivery sends the end
					}
				}
			}
		};
	}

	private Map<String, Object> done(Exchange exchange, boolean demo, List<Spoken> speech) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("html", markdown.render(exchange.answer().text()));
		data.put("meta", ChatController.meta(exchange.answer().answer()));
		data.put("stopped", ChatController.stopped(exchange.answer().answer()));
		// the tools the model used, shown as collapsible steps above the answer
		data.put("tools",
				ToolSteps.results(exchange.answer().parts())
					.stream()
					.map(result -> Map.of("tool", result.name(), "result", result.text(), "error", result.error()))
					.toList());
		data.put("sessionId", exchange.session().id().value());
		data.put("sessionTitle", exchange.session().title());
		data.put("demo", demo);
		// the answer spoken, for someone who asked for spoken answers: the page plays it
		data.put("audio", speech.stream().map(this.speech::path).toList());
		data.put("imageUrls",
				exchange.question()
					.parts()
					.stream()
					.filter(MessagePart.Image.class::isInstance)
					.map(part -> links.path(((MessagePart.Image) part).sha256()))
					.toList());
		return data;
	}

	private Map<String, Object> notice(Reply reply) {
		List<Map<String, String>> actions = reply.actions()
			.stream()
			.map(action -> Map.of("label", action.label(), "command", action.command(), "style",
					action.style().name().toLowerCase(Locale.ROOT)))
			.toList();
		Map<String, Object> notice = new LinkedHashMap<>();
		notice.put("html", markdown.render(reply.text()));
		notice.put("actions", actions);
		if (reply.imageJob() != null) {
			// the page follows the job's own event stream and draws it in place
			notice.put("imageJob", reply.imageJob());
		}
		return notice;
	}

}
