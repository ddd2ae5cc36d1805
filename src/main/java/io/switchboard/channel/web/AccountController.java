package io.switchboard.channel.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Sign-in, the first-run setup that creates the admin, and accepting an invitation. */
@Controller
class AccountController {

	private final WebAccounts accounts;

	private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

	AccountController(WebAccounts accounts) {
		this.accounts = accounts;
	}

	@GetMapping("/login")
	String login() {
		return accounts.needsSetup() ? "redirect:/setup" : "web/login";
	}

	@GetMapping("/setup")
	String setup() {
		return accounts.needsSetup() ? "web/setup" : "redirect:/login";
	}

	@PostMapping("/setup")
	String createAdmin(@RequestParam String username, @RequestParam(defaultValue = "") String displayName,
			@RequestParam String password, @RequestParam String passwordAgain, Model model, HttpServletRequest request,
			HttpServletResponse response) {
		try {
			requireSame(password, passwordAgain);
			signIn(accounts.createFirstAdmin(username, displayName, password), request, response);
			return "redirect:/";
		}
		catch (WebAccounts.AccountException refused) {
			model.addAttribute("error", refused.getMessage());
			model.addAttribute("username", username);
			model.addAttribute("displayName", displayName);
			return accounts.needsSetup() ? "web/setup" : "redirect:/login";
		}
	}

	@GetMapping("/invite/{token}")
	String invitation(@PathVariable String token, Model model) {
		model.addAttribute("token", token);
		model.addAttribute("valid", accounts.invitationValid(token));
		return "web/invite";
	}

	@PostMapping("/invite/{token}")
	String acceptInvitation(@PathVariable String token, @RequestParam String username,
			@RequestParam(defaultValue = "") String displayName, @RequestParam String password,
			@RequestParam String passwordAgain, Model model, HttpServletRequest request, HttpServletResponse response) {
		try {
			requireSame(password, passwordAgain);
			signIn(accounts.acceptInvitation(token, username, displayName, password), request, response);
			return "redirect:/";
		}
		catch (WebAccounts.AccountException refused) {
			model.addAttribute("token", token);
			model.addAttribute("valid", accounts.invitationValid(token));
			model.addAttribute("error", refused.getMessage());
			model.addAttribute("username", username);
			model.addAttribute("displayName", displayName);
			return "web/invite";
		}
	}

	private void signIn(WebPrincipal principal, HttpServletRequest request, HttpServletResponse response) {
		// a fresh session id on sign-in, against session fixation
		request.getSession(true);
		request.changeSessionId();
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(
				UsernamePasswordAuthenticationToken.authenticated(principal, null, principal.getAuthorities()));
		SecurityContextHolder.setContext(context);
		contexts.saveContext(context, request, response);
	}

	private static void requireSame(String password, String again) {
		if (!password.equals(again)) {
			throw new WebAccounts.AccountException("The two passwords differ.");
		}
	}

}
