package io.switchboard.channel.web;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.AssistantProperties;
import io.switchboard.assistant.Reply;
import io.switchboard.assistant.SessionTools;
import io.switchboard.conversation.AnswerRecord;
import io.switchboard.conversation.AnswerState;
import io.switchboard.conversation.ConversationException;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.MessageRole;
import io.switchboard.conversation.MessageWindow;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.SessionId;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.conversation.User;
import io.switchboard.llm.ModelCatalog;
import io.switchboard.media.MediaLinks;
import io.switchboard.voice.Speech;
import io.switchboard.voice.Voice;

import org.springframework.boot.autoconfigure.web.servlet.MultipartProperties;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The chat page: my sessions and the public ones, one session's messages and settings,
 * and the actions on a session. Sending a message is {@link ChatStreamController}'s.
 */
@Controller
class ChatController {

	static final int HISTORY_SHOWN = 200;

	static final int SESSIONS_PAGE = 50;

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
		.withZone(ZoneOffset.UTC);

	private final Conversations conversations;

	private final ModelCatalog models;

	private final MarkdownRenderer markdown;

	private final MediaLinks links;

	private final WebNotices notices;

	private final AssistantProperties assistant;

	private final MultipartProperties multipart;

	private final Clock clock;

	private final Assistant commands;

	/** The tool servers a session may use; none when no module offers them. */
	private final List<SessionTools> sessionTools;

	private final Voice voice;

	private final Speech speech;

	ChatController(Conversations conversations, ModelCatalog models, MarkdownRenderer markdown, MediaLinks links,
			WebNotices notices, AssistantProperties assistant, MultipartProperties multipart, Clock clock,
			Assistant commands, List<SessionTools> sessionTools, Voice voice, Speech speech) {
		this.speech = speech;
		this.commands = commands;
		this.sessionTools = sessionTools;
		this.voice = voice;
		this.conversations = conversations;
		this.models = models;
		this.markdown = markdown;
		this.links = links;
		this.notices = notices;
		this.assistant = assistant;
		this.multipart = multipart;
		this.clock = clock;
	}

	@GetMapping("/")
	String home(@AuthenticationPrincipal WebPrincipal me, Model model) {
		User user = conversations.user(me.userId());
		List<Session> sessions = conversations.ownAndPublicSessions(me.userId(), 1, 0);
		if (user.currentSession() != null) {
			try {
				return "redirect:/sessions/" + conversations.session(me.userId(), user.currentSession()).id().value();
			}
			catch (ConversationException.NotFound gone) {
				// fall through to the newest visible one
			}
		}
		if (!sessions.isEmpty() && sessions.getFirst().isOwnedBy(me.userId())) {
			return "redirect:/sessions/" + sessions.getFirst().id().value();
		}
		addPage(me, null, model);
		return "web/chat";
	}

	/**
	 * A session's page: its newest messages, or with {@code at} (a search hit) the
	 * messages around that one, and with {@code before} or {@code after} the page of
	 * messages before or after one, so that every message of a long session can be
	 * reached.
	 */
	@GetMapping("/sessions/{id}")
	String session(@AuthenticationPrincipal WebPrincipal me, @PathVariable long id,
			@RequestParam(required = false) Long at, @RequestParam(required = false) Long before,
			@RequestParam(required = false) Long after, Model model) {
		Session session = conversations.session(me.userId(), new SessionId(id));
		addPage(me, session, model);
		Long by = at != null ? at : before != null ? before : after;
		if (by != null) {
			MessageWindow.Anchor anchor = at != null ? MessageWindow.Anchor.AT
					: before != null ? MessageWindow.Anchor.BEFORE : MessageWindow.Anchor.AFTER;
			showWindow(me, session, conversations.messagesBy(me.userId(), session.id(), by, anchor, HISTORY_SHOWN),
					model);
		}
		return "web/chat";
	}

	/** An older part of the conversation, with links to the pages on either side. */
	private void showWindow(WebPrincipal me, Session session, MessageWindow window, Model model) {
		List<StoredMessage> shown = window.messages();
		if (shown.isEmpty()) {
			return;
		}
		Instant since = window.earlier() ? shown.getFirst().createdAt() : Instant.EPOCH;
		Instant until = window.later() ? shown.getLast().createdAt().plusMillis(1)
				: Instant.ofEpochMilli(Long.MAX_VALUE);
		model.addAttribute("messages", views(shown, notices.between(session.id(), since, until, HISTORY_SHOWN)));
		String base = "/sessions/" + session.id().value();
		model.addAttribute("earlierLink", window.earlier() ? base + "?before=" + shown.getFirst().id() : null);
		model.addAttribute("laterLink", window.later() ? base + "?after=" + shown.getLast().id() : null);
		model.addAttribute("windowed", window.later());
	}

	/** A page of the session list (the page asks for the next as it scrolls). */
	@GetMapping("/sessions/sidebar")
	String sidebar(@AuthenticationPrincipal WebPrincipal me, @RequestParam(required = false) Long current,
			@RequestParam(defaultValue = "0") int page, @RequestParam(required = false) String group, Model model) {
		if (page < 0 || page > 100_000) {
			throw new ConversationException.NotFound("There is no page " + page + " of sessions.");
		}
		model.addAttribute("sidebar", sidebar(me, page, group));
		model.addAttribute("currentId", current);
		return "web/sidebar :: sessionRows";
	}

	private SidebarPage sidebar(WebPrincipal me, int page, String previousGroup) {
		// one more than shown says whether there is a next page
		List<Session> sessions = conversations.ownAndPublicSessions(me.userId(), SESSIONS_PAGE + 1,
				page * SESSIONS_PAGE);
		return SidebarPage.of(sessions, page, SESSIONS_PAGE, previousGroup, me.userId(),
				LocalDate.now(clock.withZone(ZoneOffset.UTC)));
	}

	@PostMapping("/sessions")
	String create(@AuthenticationPrincipal WebPrincipal me, @RequestParam(defaultValue = "") String title) {
		Session session = conversations.createSession(me.userId(), Place.web(), title.isBlank() ? null : title, true);
		return "redirect:/sessions/" + session.id().value();
	}

	@PostMapping("/sessions/{id}/settings")
	String settings(@AuthenticationPrincipal WebPrincipal me, @PathVariable long id, @RequestParam String title,
			@RequestParam String model, @RequestParam(defaultValue = "") String systemPrompt,
			@RequestParam(defaultValue = "false") boolean isPublic, RedirectAttributes redirect) {
		SessionId sessionId = new SessionId(id);
		try {
			Session session = conversations.session(me.userId(), sessionId);
			if (!session.title().equals(title.strip())) {
				conversations.renameSession(me.userId(), sessionId, title);
			}
			if (!session.model().equals(model)) {
				conversations.setSessionModel(me.userId(), sessionId, model);
			}
			String prompt = systemPrompt.isBlank() ? null : systemPrompt.strip();
			if (!java.util.Objects.equals(session.systemPrompt(), prompt)) {
				conversations.setSessionSystemPrompt(me.userId(), sessionId, prompt);
			}
			if (session.isPublic() != isPublic) {
				conversations.setSessionPublic(me.userId(), sessionId, isPublic);
			}
			redirect.addFlashAttribute("flash", "Settings saved.");
		}
		catch (ConversationException.Invalid | ConversationException.NotAllowed refused) {
			redirect.addFlashAttribute("error", refused.getMessage());
		}
		return "redirect:/sessions/" + id;
	}

	/**
	 * The settings panel's switch for one tool server, as {@code /session tools on|off}.
	 */
	@PostMapping("/sessions/{id}/tools")
	String tools(@AuthenticationPrincipal WebPrincipal me, @PathVariable long id, @RequestParam String server,
			@RequestParam boolean on, RedirectAttributes redirect) {
		try {
			Session session = conversations.session(me.userId(), new SessionId(id));
			if (sessionTools.isEmpty()) {
				throw new ConversationException.Invalid("This server has no tool servers to choose from.");
			}
			sessionTools.getFirst().choose(conversations.user(me.userId()), session, server, on);
			redirect.addFlashAttribute("flash",
					(on ? "This session now uses the tool server " : "This session no longer uses the tool server ")
							+ server + ".");
		}
		catch (ConversationException.Invalid | ConversationException.NotAllowed refused) {
			redirect.addFlashAttribute("error", refused.getMessage());
		}
		redirect.addFlashAttribute("openSettings", true);
		return "redirect:/sessions/" + id;
	}

	@PostMapping("/sessions/{id}/topic")
	String newTopic(@AuthenticationPrincipal WebPrincipal me, @PathVariable long id, RedirectAttributes redirect) {
		Session session = conversations.startNewTopic(me.userId(), new SessionId(id));
		redirect.addFlashAttribute("flash", "New topic " + session.currentTopic()
				+ ": the model starts fresh, earlier messages stay below the line.");
		return "redirect:/sessions/" + id;
	}

	@PostMapping("/sessions/{id}/use")
	String use(@AuthenticationPrincipal WebPrincipal me, @PathVariable long id) {
		conversations.useSession(me.userId(), new SessionId(id));
		return "redirect:/sessions/" + id;
	}

	@PostMapping("/sessions/{id}/delete")
	String delete(@AuthenticationPrincipal WebPrincipal me, @PathVariable long id, RedirectAttributes redirect) {
		try {
			conversations.removeSession(me.userId(), new SessionId(id));
			redirect.addFlashAttribute("flash", "Session removed.");
			return "redirect:/";
		}
		catch (ConversationException.NotAllowed refused) {
			redirect.addFlashAttribute("error", refused.getMessage());
			return "redirect:/sessions/" + id;
		}
	}

	@ExceptionHandler(ConversationException.NotFound.class)
	@ResponseStatus(HttpStatus.NOT_FOUND)
	String notFound(ConversationException.NotFound missing, Model model) {
		model.addAttribute("message", missing.getMessage());
		return "web/not-found";
	}

	private void addPage(WebPrincipal me, Session session, Model model) {
		model.addAttribute("me", me);
		model.addAttribute("user", conversations.user(me.userId()));
		model.addAttribute("sidebar", sidebar(me, 0, null));
		model.addAttribute("maxChars", assistant.maxMessageChars());
		// offered as the message box's command list, filtered as you type
		model.addAttribute("commands", commands.commandList());
		model.addAttribute("maxUpload", multipart.getMaxFileSize().toBytes());
		// the microphone and audio upload show only where voice messages can be heard
		model.addAttribute("voiceOn", voice.isOn());
		model.addAttribute("models", models.all());
		model.addAttribute("demoOnly", models.demoOnly());
		model.addAttribute("chatSession", session);
		model.addAttribute("currentId", session == null ? null : session.id().value());
		if (session != null) {
			model.addAttribute("owner", session.isOwnedBy(me.userId()));
			model.addAttribute("ownerName",
					conversations.findUser(session.owner()).map(User::displayName).orElse("someone"));
			model.addAttribute("sessionModel", models.findOrDefault(session.model()));
			model.addAttribute("toolServers",
					sessionTools.isEmpty() ? List.of() : sessionTools.getFirst().servers(session));
			List<StoredMessage> recent = conversations.recentMessages(me.userId(), session.id(), HISTORY_SHOWN);
			// notices from the oldest message shown on (all of them when the whole
			// history shows)
			Instant since = recent.size() < HISTORY_SHOWN || recent.isEmpty() ? Instant.EPOCH
					: recent.getFirst().createdAt();
			List<MessageView> views = views(recent, notices.since(session.id(), since, HISTORY_SHOWN));
			if (session.isOwnedBy(me.userId())) {
				// facts proposed to the viewer wait at the end until answered here or on
				// another platform: the stream that first showed them is gone after a
				// reload
				for (Reply proposal : commands.factProposals(me.userId())) {
					WebNotices.Shown shown = WebNotices.Shown.of(proposal);
					views.add(new MessageView("notice", shown.text(), markdown.render(shown.text()), List.of(), null,
							null, shown.actions(), null, null, List.of()));
				}
			}
			model.addAttribute("messages", views);
			// the newest page of a longer conversation leads to the earlier ones
			model.addAttribute("earlierLink",
					recent.isEmpty() || conversations.messageCount(session.id()) <= recent.size() ? null
							: "/sessions/" + session.id().value() + "?before=" + recent.getFirst().id());
			model.addAttribute("laterLink", null);
			model.addAttribute("windowed", false);
		}
		else {
			model.addAttribute("messages", List.of());
			model.addAttribute("sessionModel", models.findOrDefault(conversations.user(me.userId()).defaultModel()));
		}
	}

	/**
	 * The conversation as it happened: chat messages and the page's commands with their
	 * replies, merged by time.
	 */
	private List<MessageView> views(List<StoredMessage> messages, List<WebNotices.Notice> kept) {
		List<MessageView> views = new ArrayList<>(messages.size() + 4 * kept.size() + 4);
		// the answers spoken aloud keep their audio: a player under each, as when it came
		java.util.Map<Long, List<String>> spoken = speech.paths(messages.stream()
			.filter(message -> message.role() != MessageRole.USER && message.answered())
			.map(StoredMessage::id)
			.toList());
		int next = 0;
		int topic = -1;
		for (StoredMessage message : messages) {
			while (next < kept.size() && kept.get(next).at().isBefore(message.createdAt())) {
				addNotice(views, kept.get(next++));
			}
			if (topic != -1 && message.topic() != topic) {
				views.add(new MessageView("topic", "New topic", null, List.of(), null, null));
			}
			topic = message.topic();
			List<String> images = message.parts()
				.stream()
				.filter(MessagePart.Image.class::isInstance)
				.map(part -> links.path(((MessagePart.Image) part).sha256()))
				.toList();
			String time = TIME.format(message.createdAt());
			if (message.role() == MessageRole.USER) {
				views.add(new MessageView("user", message.text(), null, images, null, time, List.of(), null,
						message.id(), List.of()));
			}
			else if (message.answered()) {
				views.add(new MessageView("assistant", message.text(), markdown.render(message.text()), images,
						meta(message.answer()), time, List.of(), null, message.id(),
						spoken.getOrDefault(message.id(), List.of())));
			}
			else if (message.state() == AnswerState.PENDING) {
				views.add(new MessageView("pending", "Being answered… reload to see the answer.", null, images, null,
						time));
			}
			else {
				// failed or refused: the question stays, with why it has no answer
				views.add(new MessageView("error", message.note(), null, images, null, time));
			}
		}
		while (next < kept.size()) {
			addNotice(views, kept.get(next++));
		}
		return views;
	}

	private void addNotice(List<MessageView> views, WebNotices.Notice notice) {
		String time = TIME.format(notice.at());
		views.add(new MessageView("user command", notice.command(), null, List.of(), null, time));
		for (WebNotices.Shown reply : notice.replies()) {
			views.add(new MessageView("notice", reply.text(), markdown.render(reply.text()), List.of(), null, time,
					reply.imageJob() == null ? reply.actions() : List.of(), reply.imageJob(), null, List.of()));
		}
	}

	static String meta(AnswerRecord answer) {
		if (answer == null) {
			return null;
		}
		StringBuilder meta = new StringBuilder(answer.model());
		meta.append(" · ").append(answer.tokensIn()).append(" in / ").append(answer.tokensOut()).append(" out");
		if (answer.costNanos() > 0) {
			meta.append(" · $").append(String.format(Locale.ROOT, "%.5f", answer.costNanos() / 1e9));
		}
		if (answer.contextOmitted() > 0) {
			meta.append(" · ").append(answer.contextOmitted()).append(" earlier messages left out of the context");
		}
		if ("length".equals(answer.finishReason())) {
			meta.append(" · cut at the length limit");
		}
		if (stopped(answer)) {
			meta.append(" · stopped by you");
		}
		return meta.toString();
	}

	/** Whether the asker stopped this answer (it is what was shown until then). */
	static boolean stopped(AnswerRecord answer) {
		return answer != null && Assistant.STOPPED.equals(answer.finishReason());
	}

}
