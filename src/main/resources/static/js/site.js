// Every page: the colour theme (the system's, unless the person chose one with the toggle,
// kept in this browser), and the header's menu and session-list buttons on small screens.
(function () {
	'use strict';

	const root = document.documentElement;
	const KEY = 'switchboard-theme';

	function stored() {
		try {
			return window.localStorage.getItem(KEY);
		} catch (blocked) {
			return null;
		}
	}

	const chosen = stored();
	if (chosen === 'dark' || chosen === 'light') {
		root.dataset.theme = chosen;
	}

	function effective() {
		if (root.dataset.theme) {
			return root.dataset.theme;
		}
		return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
	}

	function toggleOpen(button, className) {
		const open = !document.body.classList.contains(className);
		document.body.classList.toggle(className, open);
		button.setAttribute('aria-expanded', open ? 'true' : 'false');
	}

	document.addEventListener('DOMContentLoaded', function () {
		const theme = document.getElementById('theme-toggle');
		if (theme) {
			theme.setAttribute('aria-pressed', effective() === 'dark' ? 'true' : 'false');
			theme.addEventListener('click', function () {
				const next = effective() === 'dark' ? 'light' : 'dark';
				root.dataset.theme = next;
				theme.setAttribute('aria-pressed', next === 'dark' ? 'true' : 'false');
				try {
					window.localStorage.setItem(KEY, next);
				} catch (blocked) { /* the choice lasts for this page only */ }
			});
		}
		const menu = document.getElementById('menu-toggle');
		if (menu) {
			menu.addEventListener('click', function () {
				toggleOpen(menu, 'menu-open');
			});
		}
		const sessions = document.getElementById('sessions-toggle');
		if (sessions) {
			if (!document.getElementById('sidebar')) {
				sessions.remove();
			} else {
				sessions.addEventListener('click', function () {
					toggleOpen(sessions, 'sessions-open');
				});
			}
		}
		// a copy button copies the text of the element it names (API keys, base URL)
		document.querySelectorAll('button[data-copy]').forEach(function (button) {
			button.addEventListener('click', function () {
				const source = document.getElementById(button.dataset.copy);
				if (!source || !navigator.clipboard) {
					return;
				}
				navigator.clipboard.writeText(source.textContent.trim()).then(function () {
					const label = button.textContent;
					button.textContent = 'Copied';
					window.setTimeout(function () {
						button.textContent = label;
					}, 1500);
				});
			});
		});
	});
})();
