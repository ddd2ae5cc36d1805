package io.switchboard.channel.web;

import java.util.List;
import java.util.Locale;

import io.switchboard.conversation.ConversationException;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Suspensions;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserId;
import io.switchboard.conversation.UserRole;
import io.switchboard.conversation.UserState;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The admin's pages: every user, creating accounts and invitation links, suspending
 * users.
 */
@Controller
class AdminController {

	private final WebAccounts accounts;

	private final Conversations conversations;

	private final Suspensions suspensions;

	AdminController(WebAccounts accounts, Conversations conversations, Suspensions suspensions) {
		this.accounts = accounts;
		this.conversations = conversations;
		this.suspensions = suspensions;
	}

	/** A user with their web username, if any. */
	record UserRow(User user, String username) {
	}

	@GetMapping("/admin/users")
	String users(@AuthenticationPrincipal WebPrincipal me, Model model) {
		List<UserRow> rows = conversations.users(1000, 0)
			.stream()
			.map(user -> new UserRow(user, accounts.usernameOf(user.id()).orElse(null)))
			.toList();
		model.addAttribute("me", me);
		model.addAttribute("rows", rows);
		model.addAttribute("suspended",
				rows.stream()
					.map(row -> row.user().id())
					.filter(suspensions::isSuspended)
					.collect(java.util.stream.Collectors.toSet()));
		return "web/admin-users";
	}

	@PostMapping("/admin/users")
	String create(@AuthenticationPrincipal WebPrincipal me, @RequestParam String username,
			@RequestParam(defaultValue = "") String displayName, @RequestParam String password,
			@RequestParam(defaultValue = "member") String role, RedirectAttributes redirect) {
		try {
			WebPrincipal created = accounts.createAccount(me, username, displayName, password, role(role));
			redirect.addFlashAttribute("flash", "Created the account " + created.username() + ".");
		}
		catch (WebAccounts.AccountException refused) {
			redirect.addFlashAttribute("error", refused.getMessage());
		}
		return "redirect:/admin/users";
	}

	@PostMapping("/admin/invitations")
	String invite(@AuthenticationPrincipal WebPrincipal me, @RequestParam(defaultValue = "member") String role,
			RedirectAttributes redirect) {
		String token = accounts.invite(me, role(role));
		String link = ServletUriComponentsBuilder.fromCurrentContextPath()
			.path("/invite/{token}")
			.build(token)
			.toString();
		// shown once: only its hash is stored
		redirect.addFlashAttribute("inviteLink", link);
		return "redirect:/admin/users";
	}

	@PostMapping("/admin/users/{id}/state")
	String state(@PathVariable long id, @RequestParam String state, RedirectAttributes redirect) {
		UserState parsed = UserState.parse(state)
			.orElseThrow(() -> new ConversationException.Invalid("Unknown state " + state));
		User user = conversations.setState(new UserId(id), parsed);
		redirect.addFlashAttribute("flash",
				user.displayName() + " is now " + parsed.name().toLowerCase(Locale.ROOT) + ".");
		return "redirect:/admin/users";
	}

	/**
	 * An admin's lock-out, apart from the user's own chat state: no chat, no API keys, no
	 * sign-in, until an admin lifts it.
	 */
	@PostMapping("/admin/users/{id}/suspend")
	String suspend(@AuthenticationPrincipal WebPrincipal me, @PathVariable long id, RedirectAttributes redirect) {
		User user = conversations.user(new UserId(id));
		try {
			suspensions.suspend(conversations.user(me.userId()), user.id());
			redirect.addFlashAttribute("flash",
					user.displayName() + " is suspended: no chat, API keys or sign-in until you lift it.");
		}
		catch (ConversationException.NotAllowed refused) {
			redirect.addFlashAttribute("error", refused.getMessage());
		}
		return "redirect:/admin/users";
	}

	@PostMapping("/admin/users/{id}/reinstate")
	String reinstate(@AuthenticationPrincipal WebPrincipal me, @PathVariable long id, RedirectAttributes redirect) {
		User user = conversations.user(new UserId(id));
		suspensions.lift(conversations.user(me.userId()), user.id());
		redirect.addFlashAttribute("flash", user.displayName() + "'s suspension is lifted.");
		return "redirect:/admin/users";
	}

	private static UserRole role(String role) {
		return "admin".equalsIgnoreCase(role) ? UserRole.ADMIN : UserRole.MEMBER;
	}

}
