package io.switchboard.channel.slack;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.EventContext;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.File;
import com.slack.api.model.event.AppHomeOpenedEvent;
import com.slack.api.model.event.AppMentionEvent;
import com.slack.api.model.event.MessageEvent;
import com.slack.api.model.event.MessageFileShareEvent;
import com.slack.api.model.event.MessageThreadBroadcastEvent;
import com.slack.api.model.view.ViewState;
import io.switchboard.conversation.ConversationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bolt's listeners: each hands its request to {@link SlackIntake} (which records it and
 * stores a message before any model is called; nothing there waits for a model) and
 * acknowledges. The App Home's own controls are handled on the spot: they are quick, and
 * a modal must open within the 3 seconds its trigger id lives.
 */
final class SlackBolt {

	private static final Logger log = LoggerFactory.getLogger(SlackBolt.class);

	static final String IMAGE_ACTION = "img-";

	private final SlackIntake intake;

	private final SlackHome home;

	private final Executor background;

	SlackBolt(SlackIntake intake, SlackHome home, Executor background) {
		this.intake = intake;
		this.home = home;
		this.background = background;
	}

	void install(App app, SlackProperties properties) {
		app.event(MessageEvent.class, (payload, context) -> {
			MessageEvent event = payload.getEvent();
			return take(context, payload.getEventId(),
					new SlackInbound.Message(event.getChannel(), event.getChannelType(), event.getUser(),
							event.getBotId(), event.getText(), event.getTs(), event.getThreadTs(),
							files(event.getFiles())));
		});
		app.event(MessageFileShareEvent.class, (payload, context) -> {
			MessageFileShareEvent event = payload.getEvent();
			return take(context, payload.getEventId(),
					new SlackInbound.Message(event.getChannel(), event.getChannelType(), event.getUser(), null,
							event.getText(), event.getTs(), event.getThreadTs(), files(event.getFiles())));
		});
		app.event(MessageThreadBroadcastEvent.class, (payload, context) -> {
			MessageThreadBroadcastEvent event = payload.getEvent();
			return take(context, payload.getEventId(),
					new SlackInbound.Message(event.getChannel(), event.getChannelType(), event.getUser(), null,
							event.getText(), event.getTs(), event.getThreadTs(), List.of()));
		});
		// a mention also arrives as a message event when the app reads the channel; the
		// message's ts makes the two one (see SlackStore.claim)
		app.event(AppMentionEvent.class, (payload, context) -> {
			AppMentionEvent event = payload.getEvent();
			String type = event.getChannel() != null && event.getChannel().startsWith("D") ? "im" : "channel";
			return take(context, payload.getEventId(),
					new SlackInbound.Message(event.getChannel(), type, event.getUser(), event.getBotId(),
							event.getText(), event.getTs(), event.getThreadTs(), files(event.getFiles())));
		});
		app.event(AppHomeOpenedEvent.class, (payload, context) -> {
			if (!"home".equals(payload.getEvent().getTab())) {
				return context.ack();
			}
			return take(context, payload.getEventId(), new SlackInbound.HomeOpened(payload.getEvent().getUser()));
		});

		for (String command : List.of(properties.slashCommand(), properties.imagineCommand())) {
			app.command(command, (request, context) -> {
				var payload = request.getPayload();
				intake.take("command:" + payload.getTriggerId(),
						new SlackInbound.Command(payload.getCommand(), payload.getText(), payload.getUserId(),
								payload.getUserName(), payload.getChannelId(), payload.getChannelName(),
								payload.getResponseUrl()));
				return context.ack();
			});
		}

		app.blockAction(Pattern.compile(
				Pattern.quote(SlackBlocks.COMMAND_ACTION) + "\\d+|" + Pattern.quote(IMAGE_ACTION) + "[A-Z0-9]{2}-\\d+"),
				(request, context) -> {
					BlockActionPayload payload = request.getPayload();
					BlockActionPayload.Action action = payload.getActions().getFirst();
					BlockActionPayload.Container container = payload.getContainer();
					intake.take("action:" + payload.getTriggerId(),
							new SlackInbound.Action(payload.getUser().getId(), payload.getUser().getName(),
									payload.getChannel() != null ? payload.getChannel().getId()
											: container.getChannelId(),
									container.getMessageTs(), container.getThreadTs(), container.isEphemeral(),
									payload.getResponseUrl(), action.getActionId(), action.getValue()));
					return context.ack();
				});

		app.blockAction(SlackHome.MODEL_ACTION, (request, context) -> {
			String user = request.getPayload().getUser().getId();
			var selected = request.getPayload().getActions().getFirst().getSelectedOption();
			changeHome(user, () -> home.selectModel(user, selected.getValue()));
			return context.ack();
		});
		app.blockAction(SlackHome.MODE_ACTION, (request, context) -> {
			String user = request.getPayload().getUser().getId();
			var selected = request.getPayload().getActions().getFirst().getSelectedOption();
			changeHome(user, () -> home.selectMode(user, selected.getValue()));
			return context.ack();
		});
		app.blockAction(SlackHome.CLEAR_SYSTEM_ACTION, (request, context) -> {
			String user = request.getPayload().getUser().getId();
			changeHome(user, () -> home.clearSystemPrompt(user));
			return context.ack();
		});
		app.blockAction(SlackHome.EDIT_SYSTEM_ACTION, (request, context) -> {
			home.openSystemPromptEditor(request.getPayload().getTriggerId(), request.getPayload().getUser().getId());
			return context.ack();
		});
		app.viewSubmission(SlackHome.SYSTEM_VIEW, (request, context) -> {
			String user = request.getPayload().getUser().getId();
			Map<String, Map<String, ViewState.Value>> values = request.getPayload().getView().getState().getValues();
			ViewState.Value value = values.getOrDefault(SlackHome.SYSTEM_BLOCK, Map.of()).get(SlackHome.SYSTEM_INPUT);
			Map<String, String> errors = home.submitSystemPrompt(user, value == null ? null : value.getValue());
			if (!errors.isEmpty()) {
				return context.ackWithErrors(errors);
			}
			background.execute(() -> publishQuietly(user));
			return context.ack();
		});
	}

	private Response take(EventContext context, String eventId, SlackInbound inbound) {
		if (context.getRetryNum() != null) {
			log.debug("Slack retried event {} (attempt {}, {})", eventId, context.getRetryNum(),
					context.getRetryReason());
		}
		intake.take("event:" + eventId, inbound);
		return context.ack();
	}

	private void changeHome(String user, Runnable change) {
		try {
			change.run();
		}
		catch (ConversationException refused) {
			log.info("App Home change by {} refused: {}", user, refused.getMessage());
		}
		background.execute(() -> publishQuietly(user));
	}

	private void publishQuietly(String user) {
		try {
			home.publish(user);
		}
		catch (RuntimeException failed) {
			log.warn("could not publish the App Home of {}: {}", user, failed.getMessage());
		}
	}

	private static List<SlackInbound.FileRef> files(List<File> files) {
		if (files == null) {
			return List.of();
		}
		return files.stream()
			.map(file -> new SlackInbound.FileRef(file.getId(), file.getName(), file.getMimetype(),
					file.getUrlPrivateDownload() != null ? file.getUrlPrivateDownload() : file.getUrlPrivate()))
			.toList();
	}

}
