// The image studio: sends the CSRF token with htmx's requests, and follows each running
// job's event stream to move its progress bar, then asks the server for the finished card.
(function () {
	'use strict';

	const FINISHED = ['succeeded', 'failed', 'cancelled'];
	const streams = new Map();

	document.addEventListener('htmx:configRequest', function (event) {
		const token = document.querySelector('meta[name="_csrf"]');
		const header = document.querySelector('meta[name="_csrf_header"]');
		if (token && header) {
			event.detail.headers[header.content] = token.content;
		}
	});

	function follow() {
		document.querySelectorAll('.job-card[data-finished="false"]').forEach(function (card) {
			const id = card.dataset.job;
			if (streams.has(id)) {
				return;
			}
			const source = new EventSource('/api/images/jobs/' + id + '/events');
			streams.set(id, source);
			source.addEventListener('job', function (event) {
				const job = JSON.parse(event.data);
				const shown = document.getElementById('job-' + id);
				if (shown) {
					const bar = shown.querySelector('progress');
					if (bar) {
						bar.value = job.progress;
					}
					const text = shown.querySelector('.progress-text');
					if (text) {
						text.textContent = job.state + ' · ' + job.progress + '%';
					}
					const state = shown.querySelector('.badge.state');
					if (state) {
						state.textContent = job.state;
					}
					shown.dataset.state = job.state;
				}
				if (FINISHED.indexOf(job.state) >= 0) {
					source.close();
					streams.delete(id);
					if (shown && window.htmx) {
						window.htmx.ajax('GET', '/studio/jobs/' + id, { target: '#current', swap: 'outerHTML' });
					}
				}
			});
			source.onerror = function () {
				// the stream broke (a restart, a proxy): look again in a moment
				source.close();
				streams.delete(id);
				window.setTimeout(follow, 2000);
			};
		});
	}

	document.addEventListener('htmx:afterSwap', function (event) {
		if (event.detail.target && event.detail.target.id === 'current') {
			const message = document.getElementById('studio-message');
			if (message) {
				message.textContent = '';
			}
		}
		follow();
	});
	document.addEventListener('htmx:afterSettle', follow);
	document.addEventListener('DOMContentLoaded', follow);
})();
