package io.switchboard.identity;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.switchboard.assistant.CommandExtension;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Reply;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ReplySink;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserId;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code /link [code]} and {@code /unlink} on every platform. A code is never shown in a
 * group: anyone there could use it.
 */
@Configuration(proxyBeanMethods = false)
class LinkCommands {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

	@Bean
	CommandExtension linkCommand(IdentityLinks links) {
		return new CommandExtension() {
			@Override
			public String name() {
				return "link";
			}

			@Override
			public String help() {
				return "/link [code] — one account on every platform: a code here, sent from the other platform";
			}

			@Override
			public void handle(User user, InboundMessage message, String arguments, ReplySink sink) {
				sink.accept(new ReplyEvent.Notice(
						arguments.isBlank() ? issue(links, user, message) : redeem(links, user, message, arguments)));
			}
		};
	}

	@Bean
	CommandExtension unlinkCommand(IdentityLinks links) {
		return new CommandExtension() {
			@Override
			public String name() {
				return "unlink";
			}

			@Override
			public String help() {
				return "/unlink — this platform's account stops being linked to your other ones";
			}

			@Override
			public void handle(User user, InboundMessage message, String arguments, ReplySink sink) {
				Reply reply;
				try {
					reply = links.unlink(message.sender())
						.map(previous -> Reply.of("Unlinked: this " + message.sender().platform()
								+ " account is on its own again. What you made while linked stays with the linked"
								+ " account."))
						.orElse(Reply
							.of("This account is not linked to another one. `/link` makes a code to link it."));
				}
				catch (IdentityLinks.Refused refused) {
					reply = Reply.of(refused.getMessage());
				}
				sink.accept(new ReplyEvent.Notice(reply));
			}
		};
	}

	private static Reply issue(IdentityLinks links, User user, InboundMessage message) {
		if (message.place().kind() == PlaceKind.GROUP) {
			return Reply.of("Send `/link` in a one-to-one chat with me: everyone here could use the code.");
		}
		try {
			IdentityLinks.Code code = links.issue(user.id());
			return Reply.of("Your link code: **" + code.code() + "** (works once, until "
					+ TIME.format(code.expiresAt()) + "). Send `/link " + code.code()
					+ "` from your other platform (LINE, Discord, Slack) and it becomes this same account: "
					+ "sessions, search, usage and limits shared.");
		}
		catch (IdentityLinks.Refused refused) {
			return Reply.of(refused.getMessage());
		}
	}

	private static Reply redeem(IdentityLinks links, User user, InboundMessage message, String code) {
		if ("web".equals(message.sender().platform())) {
			// the web sign-in is bound to its account: the other platforms join it, not
			// the other way
			return Reply.of("On the web page, send `/link` without a code and send the code from your other platform.");
		}
		try {
			UserId joined = links.redeem(message.sender(), user.id(), code);
			return Reply.of("Linked: this " + message.sender().platform() + " account is now the same as your other one"
					+ " (user " + joined.value() + "). `/unlink` undoes it.");
		}
		catch (IdentityLinks.Refused refused) {
			return Reply.of(refused.getMessage());
		}
	}

}
