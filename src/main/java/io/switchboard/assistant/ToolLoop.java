package io.switchboard.assistant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.switchboard.conversation.MessagePart;
import io.switchboard.llm.ChatMessage;
import io.switchboard.llm.ChatModels;
import io.switchboard.llm.ChatRequest;
import io.switchboard.llm.ChatResponse;
import io.switchboard.llm.ContentPart;
import io.switchboard.llm.FinishReason;
import io.switchboard.llm.ModelSpec;
import io.switchboard.llm.Role;
import io.switchboard.llm.TokenUsage;
import io.switchboard.llm.ToolSpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Answers with tools: the model may ask for tools, they run, their results go back, and
 * the model goes on, until it answers in words or a limit says it must. Text streams out
 * round by round; each tool's use is shown as it happens ({@link ReplyEvent.ToolUsed}).
 */
@Component
class ToolLoop {

	private static final Logger log = LoggerFactory.getLogger(ToolLoop.class);

	private final ChatModels chatModels;

	private final List<ToolSource> sources;

	private final ToolProperties properties;

	ToolLoop(ChatModels chatModels, List<ToolSource> sources, ToolProperties properties) {
		this.chatModels = chatModels;
		this.sources = sources;
		this.properties = properties;
	}

	/**
	 * The whole answer: its text, usage over all rounds, and the tool steps taken.
	 *
	 * @param asking the call the answer stopped at to ask the user first, or {@code null}
	 */
	record Outcome(ChatResponse response, List<MessagePart> steps, Asking asking) {
	}

	/** A call that needs the user's yes before it runs: the answer stops there. */
	record Asking(String callId, String tool, String arguments) {
	}

	/**
	 * A call the user said yes or no to: the answer that carries on runs it first (or
	 * tells the model it was declined) and goes on from there.
	 */
	record Decided(String callId, String tool, String arguments, boolean confirmed) {
	}

	static final String DECLINED = "The user declined to run this tool, so it did not run. Do not call it again "
			+ "unless they ask; go on without it.";

	/** Whether a tool asks its user before each run: its own say, or the settings'. */
	boolean needsConfirmation(AssistantTool tool) {
		return tool.needsConfirmation() || properties.confirm().contains(tool.spec().name());
	}

	/** The tools this turn's model is offered: none for a model without tool support. */
	Map<String, AssistantTool> toolsFor(ModelSpec model, ToolContext context) {
		Map<String, AssistantTool> tools = new LinkedHashMap<>();
		if (!properties.enabled() || model.demo() || properties.modelsWithoutTools().contains(model.name())) {
			return tools;
		}
		for (ToolSource source : sources) {
			try {
				for (AssistantTool tool : source.tools(context)) {
					tools.putIfAbsent(tool.spec().name(), tool);
				}
			}
			catch (RuntimeException broken) {
				// one broken source (an MCP server down) leaves the others usable
				log.warn("tool source {} failed: {}", source.getClass().getSimpleName(), broken.toString());
			}
		}
		return tools;
	}

	/**
	 * A caller outside any conversation (the {@code /v1} gateway): tools of its own,
	 * which the loop offers but does not run (a round that calls one ends the answer with
	 * those calls, for the caller to run), and what it hears of each round.
	 */
	record Outside(List<ToolSpec> handBack, Watcher watcher) {
	}

	/** What an outside caller hears of the rounds, as they happen. */
	interface Watcher {

		/** A model round ended; its usage (to meter even when a later round fails). */
		void round(TokenUsage usage);

		/** A tool ran (or was answered without running), with what the model was told. */
		void step(MessagePart.ToolCall call, MessagePart.ToolResult result);

	}

	/**
	 * @param decided the call the user decided on, when this answer carries on after
	 * their yes or no; {@code null} for a fresh answer
	 */
	Outcome answer(ChatRequest first, Map<String, AssistantTool> tools, ToolContext context, ReplySink live,
			Decided decided) {
		return answer(first, tools, context, live, decided, null);
	}

	/**
	 * @param outside the caller's own tools and its watcher, or {@code null} in a
	 * conversation
	 */
	Outcome answer(ChatRequest first, Map<String, AssistantTool> tools, ToolContext context, ReplySink live,
			Decided decided, Outside outside) {
		Consumer<String> deltas = piece -> live.accept(new ReplyEvent.AnswerDelta(piece));
		if (tools.isEmpty() && decided == null && outside == null) {
			return new Outcome(chatModels.stream(first, deltas), List.of(), null);
		}
		List<ToolSpec> specs = new ArrayList<>(tools.values().stream().map(AssistantTool::spec).toList());
		if (outside != null) {
			outside.handBack().stream().filter(spec -> !tools.containsKey(spec.name())).forEach(specs::add);
		}
		List<ContentPart.ToolCall> handedBack = List.of();
		List<ChatMessage> messages = new ArrayList<>(first.messages());
		List<MessagePart> steps = new ArrayList<>();
		if (decided != null) {
			// the call as the model made it before the question, and now its result
			ContentPart.ToolCall call = new ContentPart.ToolCall(decided.callId(), decided.tool(), decided.arguments());
			messages.add(new ChatMessage(Role.ASSISTANT, List.of(call)));
			steps.add(new MessagePart.ToolCall(call.id(), call.name(), call.arguments()));
			Step step = decided.confirmed() ? run(tools.get(call.name()), call, context) : Step.failed(DECLINED);
			steps.add(new MessagePart.ToolResult(call.id(), call.name(), step.text(), step.error(), step.imageJob()));
			messages.add(new ChatMessage(Role.TOOL,
					List.of(new ContentPart.ToolResult(call.id(), call.name(), step.text(), step.error()))));
			live.accept(new ReplyEvent.ToolUsed(call.name(),
					decided.confirmed() ? step.summary() : "not run: you declined it", step.error(), step.imageJob()));
		}
		Asking asking = null;
		StringBuilder text = new StringBuilder();
		int input = 0;
		int output = 0;
		int cached = 0;
		long deadline = System.nanoTime() + properties.maxTime().toNanos();
		FinishReason finish = FinishReason.STOP;
		for (int round = 1;; round++) {
			boolean separate = !text.isEmpty();
			boolean[] firstPiece = { true };
			ChatRequest request = new ChatRequest(first.model(), messages, first.maxOutputTokens(), first.temperature(),
					specs);
			ChatResponse response = chatModels.stream(request, piece -> {
				if (separate && firstPiece[0]) {
					firstPiece[0] = false;
					deltas.accept("\n\n");
				}
				deltas.accept(piece);
			});
			input += response.usage().inputTokens();
			output += response.usage().outputTokens();
			cached += response.usage().cachedInputTokens();
			if (outside != null) {
				outside.watcher().round(response.usage());
			}
			if (!response.text().isBlank()) {
				if (!text.isEmpty()) {
					text.append("\n\n");
				}
				text.append(response.text());
			}
			finish = response.finishReason();
			if (!response.wantsTools()) {
				break;
			}
			if (outside != null) {
				List<ContentPart.ToolCall> theirs = response.toolCalls()
					.stream()
					.filter(call -> !tools.containsKey(call.name())
							&& outside.handBack().stream().anyMatch(spec -> spec.name().equals(call.name())))
					.toList();
				if (!theirs.isEmpty()) {
					// the caller runs these and asks again with their results; the
					// round's
					// calls of ours are not run: the model asks again then if it still
					// needs them
					handedBack = theirs;
					break;
				}
			}
			if (round > properties.maxRounds() + 1) {
				// it was told to answer and asked for tools again: stop here
				log.info("model {} kept asking for tools after {} rounds", first.model().name(), round - 1);
				String stopped = "(I stopped using tools after " + properties.maxRounds()
						+ " rounds without coming to an answer.)";
				deltas.accept((text.isEmpty() ? "" : "\n\n") + stopped);
				text.append(text.isEmpty() ? "" : "\n\n").append(stopped);
				finish = FinishReason.STOP;
				break;
			}
			// past the rounds allowed (or the time), the calls are answered with "answer
			// now" instead of being run, and the model gets one more round
			boolean overLimit = round > properties.maxRounds() || System.nanoTime() > deadline;
			List<ContentPart> said = new ArrayList<>();
			if (!response.text().isBlank()) {
				said.add(new ContentPart.Text(response.text()));
			}
			said.addAll(response.toolCalls());
			messages.add(new ChatMessage(Role.ASSISTANT, said));
			List<ContentPart> results = new ArrayList<>();
			for (ContentPart.ToolCall call : response.toolCalls()) {
				AssistantTool tool = tools.get(call.name());
				if (!overLimit && tool != null && needsConfirmation(tool)) {
					if (asking == null) {
						// asked below, once this round's other calls have run; nothing
						// waits for the answer: it ends here, and the yes or no carries
						// on
						asking = new Asking(call.id(), call.name(), call.arguments());
						continue;
					}
					steps.add(new MessagePart.ToolCall(call.id(), call.name(), call.arguments()));
					Step one = Step.failed("Not run: it needs the user's confirmation, and one is asked at a time. "
							+ "Call it again after the user answered.");
					steps.add(new MessagePart.ToolResult(call.id(), call.name(), one.text(), true, null));
					results.add(new ContentPart.ToolResult(call.id(), call.name(), one.text(), true));
					continue;
				}
				steps.add(new MessagePart.ToolCall(call.id(), call.name(), call.arguments()));
				Step step = overLimit ? Step.failed("Not run: the limit on tool use for this answer is reached. "
						+ "Answer now with what you have.") : run(tool, call, context);
				MessagePart.ToolResult result = new MessagePart.ToolResult(call.id(), call.name(), step.text(),
						step.error(), step.imageJob());
				steps.add(result);
				results.add(new ContentPart.ToolResult(call.id(), call.name(), step.text(), step.error()));
				if (outside != null) {
					outside.watcher().step(new MessagePart.ToolCall(call.id(), call.name(), call.arguments()), result);
				}
				if (!overLimit) {
					live.accept(new ReplyEvent.ToolUsed(call.name(), step.summary(), step.error(), step.imageJob()));
				}
			}
			if (asking != null) {
				finish = FinishReason.STOP;
				break;
			}
			messages.add(new ChatMessage(Role.TOOL, results));
			if (overLimit) {
				// one more round, in which the model is to answer in words
				round = properties.maxRounds() + 1;
			}
		}
		return new Outcome(new ChatResponse(text.toString(), new TokenUsage(input, output, cached), finish, handedBack),
				steps, asking);
	}

	/** One tool's run as the model and the user hear of it. */
	private record Step(String text, String summary, boolean error, Long imageJob) {

		static Step failed(String why) {
			return new Step(why, why, true, null);
		}

	}

	private Step run(AssistantTool tool, ContentPart.ToolCall call, ToolContext context) {
		if (tool == null) {
			return Step.failed("There is no tool named " + call.name() + ".");
		}
		// a virtual thread per call, so that a tool that hangs is left behind at the
		// timeout instead of holding the answer
		ExecutorService runner = Executors.newVirtualThreadPerTaskExecutor();
		Future<ToolOutcome> running = runner.submit(() -> tool.run(call.arguments(), context));
		try {
			ToolOutcome outcome = running.get(properties.toolTimeout().toMillis(), TimeUnit.MILLISECONDS);
			String text = cut(outcome.text());
			String summary = outcome.summary() != null ? outcome.summary() : shortLine(text);
			return new Step(text, summary, false, outcome.imageJob());
		}
		catch (TimeoutException slow) {
			running.cancel(true);
			return Step.failed("The tool " + call.name() + " gave no result within "
					+ properties.toolTimeout().toSeconds() + " s.");
		}
		catch (ExecutionException failed) {
			Throwable cause = failed.getCause();
			if (cause instanceof AssistantTool.ToolFailure refused) {
				return Step.failed(cut(refused.getMessage()));
			}
			log.warn("tool {} failed", call.name(), cause);
			return Step.failed("The tool " + call.name() + " failed: " + cause.getClass().getSimpleName()
					+ (cause.getMessage() == null ? "" : ": " + cut(cause.getMessage())));
		}
		catch (InterruptedException interrupted) {
			running.cancel(true);
			Thread.currentThread().interrupt();
			return Step.failed("The answer was stopped while " + call.name() + " ran.");
		}
		finally {
			runner.shutdownNow();
		}
	}

	private String cut(String text) {
		int max = properties.maxResultChars();
		if (text.length() <= max) {
			return text;
		}
		return text.substring(0, max) + "\n[cut: " + (text.length() - max) + " more characters]";
	}

	static String shortLine(String text) {
		String line = text.strip().replaceAll("\\s+", " ");
		return line.length() > 120 ? line.substring(0, 119) + "…" : line;
	}

}
