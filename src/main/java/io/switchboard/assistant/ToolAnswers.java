package io.switchboard.assistant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.User;
import io.switchboard.llm.ChatRequest;
import io.switchboard.llm.ChatResponse;
import io.switchboard.llm.ModelSpec;
import io.switchboard.llm.TokenUsage;
import io.switchboard.llm.ToolSpec;

import org.springframework.stereotype.Component;

/**
 * The assistant's tool loop for a caller outside any conversation: the {@code /v1}
 * gateway, which hands its client's request and the MCP tools it asked for, and gets the
 * final answer. The same loop, limits and settings as in a conversation; only nobody can
 * be asked to confirm a tool, so a tool that needs confirmation is not to be offered here
 * ({@link #needsConfirmation}).
 */
@Component
public class ToolAnswers {

	private final ToolLoop loop;

	private final ToolProperties properties;

	ToolAnswers(ToolLoop loop, ToolProperties properties) {
		this.loop = loop;
		this.properties = properties;
	}

	/** Whether the settings let this model be offered tools at all. */
	public boolean offersTools(ModelSpec model) {
		return properties.enabled() && !model.demo() && !properties.modelsWithoutTools().contains(model.name());
	}

	/** Whether a tool asks its user before each run (its own say, or the settings'). */
	public boolean needsConfirmation(AssistantTool tool) {
		return loop.needsConfirmation(tool);
	}

	/** What the caller hears of each round as it happens. */
	public interface Rounds {

		/** A model round ended with this usage. */
		void round(TokenUsage usage);

		/**
		 * One of the given tools ran, or was answered without running (past the limits):
		 * the text the model was told.
		 */
		void step(String callId, String tool, String arguments, String result, boolean error);

	}

	/**
	 * Answers {@code request} (whose own tools are the caller's: a call of one ends the
	 * answer, returned in the response's tool calls for the caller to run) with
	 * {@code tools} run here, round by round, within the settings' limits on rounds and
	 * time.
	 * @param deltas the answer's text as it streams, every round's
	 * @return the text of all rounds, their usage summed, and the caller's tool calls if
	 * the model made some
	 * @throws io.switchboard.llm.LlmException as a round's model call throws it
	 */
	public ChatResponse answer(ChatRequest request, List<AssistantTool> tools, User user, Session session,
			Consumer<String> deltas, Rounds rounds) {
		Map<String, AssistantTool> byName = new LinkedHashMap<>();
		for (AssistantTool tool : tools) {
			if (needsConfirmation(tool)) {
				throw new IllegalArgumentException(tool.spec().name() + " needs a confirmation nobody can give here");
			}
			byName.putIfAbsent(tool.spec().name(), tool);
		}
		List<ToolSpec> theirs = request.tools();
		ChatRequest first = new ChatRequest(request.model(), request.messages(), request.maxOutputTokens(),
				request.temperature(), List.of());
		ToolLoop.Watcher watcher = new ToolLoop.Watcher() {
			@Override
			public void round(TokenUsage usage) {
				rounds.round(usage);
			}

			@Override
			public void step(MessagePart.ToolCall call, MessagePart.ToolResult result) {
				rounds.step(call.id(), call.name(), call.arguments(), result.text(), result.error());
			}
		};
		ReplySink live = event -> {
			if (event instanceof ReplyEvent.AnswerDelta delta) {
				deltas.accept(delta.text());
			}
		};
		return loop
			.answer(first, byName, new ToolContext(user, session, null, null, 0), live, null,
					new ToolLoop.Outside(theirs, watcher))
			.response();
	}

}
