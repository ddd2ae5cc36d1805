// The chat page: sends a message and shows the answer as it streams in (Server-Sent Events
// read from the POST response). Answer text is shown with textContent while it streams; the
// final Markdown arrives rendered and sanitized by the server.
(function () {
	'use strict';

	const composer = document.getElementById('composer');
	const input = document.getElementById('message-input');
	const imageInput = document.getElementById('image-input');
	const preview = document.getElementById('image-preview');
	const messages = document.getElementById('messages');
	const sendButton = document.getElementById('send');

	document.querySelectorAll('form.confirm').forEach(function (form) {
		form.addEventListener('submit', function (event) {
			if (!window.confirm(form.dataset.confirm)) {
				event.preventDefault();
			}
		});
	});

	if (!composer) {
		return;
	}

	function csrfHeaders() {
		const token = document.querySelector('meta[name="_csrf"]');
		const header = document.querySelector('meta[name="_csrf_header"]');
		const headers = { 'Accept': 'text/event-stream, application/json' };
		if (token && header) {
			headers[header.content] = token.content;
		}
		return headers;
	}

	function scrollDown() {
		messages.scrollTop = messages.scrollHeight;
		window.scrollTo(0, document.body.scrollHeight);
	}

	function bubble(role) {
		const empty = document.getElementById('empty-chat');
		if (empty) {
			empty.remove();
		}
		const element = document.createElement('div');
		element.className = 'message ' + role;
		const body = document.createElement('div');
		body.className = 'body';
		element.appendChild(body);
		messages.appendChild(element);
		return element;
	}

	function toolStep(tool, text, error) {
		const step = document.createElement('details');
		step.className = 'tool-step' + (error ? ' failed' : '');
		const summary = document.createElement('summary');
		summary.textContent = (error ? '⚠️ ' : '🔧 ') + tool;
		const result = document.createElement('pre');
		result.textContent = text;
		step.appendChild(summary);
		step.appendChild(result);
		return step;
	}

	function showImages(element, urls) {
		if (!urls || urls.length === 0) {
			return;
		}
		const images = document.createElement('div');
		images.className = 'images';
		urls.forEach(function (url) {
			const img = document.createElement('img');
			img.src = url;
			img.alt = 'attached image';
			images.appendChild(img);
		});
		element.insertBefore(images, element.firstChild);
	}

	function showActions(element, actions) {
		if (!actions || actions.length === 0) {
			return;
		}
		const row = document.createElement('div');
		row.className = 'reply-actions';
		actions.forEach(function (action) {
			const button = document.createElement('button');
			button.type = 'button';
			button.textContent = action.label;
			button.className = action.style === 'danger' ? 'danger' : (action.style === 'primary' ? 'primary' : '');
			button.addEventListener('click', function () {
				send(action.command, null);
			});
			row.appendChild(button);
		});
		element.appendChild(row);
	}

	// An image job announced by a notice (started by /imagine, image mode or a button, or
	// asked for with /image #id): follow the job's own event stream, show its progress, then
	// the grid or the upscaled image with the job's buttons, which send /image commands
	// like every other platform's buttons do.
	const FINISHED = ['succeeded', 'failed', 'cancelled'];

	function followImageJob(element, id) {
		const card = document.createElement('div');
		card.className = 'image-job';
		card.dataset.job = id;
		card.dataset.state = 'queued';
		const status = document.createElement('div');
		status.className = 'image-job-status';
		const bar = document.createElement('progress');
		bar.max = 100;
		bar.value = 0;
		const text = document.createElement('span');
		text.className = 'progress-text';
		text.textContent = 'queued';
		status.appendChild(bar);
		status.appendChild(text);
		card.appendChild(status);
		element.appendChild(card);
		if (typeof window.EventSource === 'undefined') {
			text.textContent = 'Open the Studio to see this image.';
			return;
		}
		let retries = 0;
		function open() {
			const source = new EventSource('/api/images/jobs/' + id + '/events');
			source.addEventListener('job', function (event) {
				retries = 0;
				const job = JSON.parse(event.data);
				card.dataset.state = job.state;
				bar.value = job.progress;
				text.textContent = job.state + (job.state === 'running' ? ' · ' + job.progress + '%' : '');
				if (FINISHED.indexOf(job.state) >= 0) {
					source.close();
					showFinishedJob(card, status, job);
				}
			});
			source.onerror = function () {
				// the stream broke (a restart, a proxy) or ended: look again, a few times
				source.close();
				if (FINISHED.indexOf(card.dataset.state) < 0 && retries++ < 5) {
					window.setTimeout(open, 2000);
				}
			};
		}
		open();
	}

	function showFinishedJob(card, status, job) {
		status.remove();
		if (job.state !== 'succeeded') {
			const why = document.createElement('p');
			why.className = 'error';
			why.textContent = job.state === 'failed' ? 'Image ' + job.id + ' failed: ' + (job.failureReason || '')
				: 'Image ' + job.id + ' was cancelled.';
			card.appendChild(why);
			return;
		}
		const shown = job.grid || (job.candidates.length > 0 ? job.candidates[0] : null);
		if (shown) {
			const link = document.createElement('a');
			link.href = '/studio?job=' + job.id;
			link.title = 'Open image ' + job.id + ' in the Studio';
			const img = document.createElement('img');
			img.src = shown.url;
			img.alt = (job.grid ? 'four candidates for ' : 'image for ') + '“' + job.prompt + '”';
			link.appendChild(img);
			card.appendChild(link);
		}
		showActions(card, job.actions.map(function (action) {
			return { label: action.label, command: '/image #' + job.id + ' ' + action.code, style: '' };
		}));
		scrollDown();
	}

	function refreshSidebar(sessionId) {
		if (window.htmx) {
			window.htmx.ajax('GET', '/sessions/sidebar' + (sessionId ? '?current=' + sessionId : ''),
				{ target: '#sidebar', swap: 'outerHTML' });
		}
	}

	// Reads "event: x\ndata: {...}\n\n" blocks from a streamed response body.
	async function readEvents(response, onEvent) {
		const reader = response.body.getReader();
		const decoder = new TextDecoder();
		let buffer = '';
		for (;;) {
			const { value, done } = await reader.read();
			if (done) {
				break;
			}
			buffer += decoder.decode(value, { stream: true });
			let boundary;
			while ((boundary = buffer.search(/\r?\n\r?\n/)) >= 0) {
				const block = buffer.slice(0, boundary);
				buffer = buffer.slice(boundary).replace(/^\r?\n\r?\n/, '');
				let name = 'message';
				const data = [];
				block.split(/\r?\n/).forEach(function (line) {
					if (line.startsWith('event:')) {
						name = line.slice(6).trim();
					} else if (line.startsWith('data:')) {
						data.push(line.slice(5).replace(/^ /, ''));
					}
				});
				if (data.length > 0) {
					onEvent(name, JSON.parse(data.join('\n')));
				}
			}
		}
	}

	async function send(text, file) {
		const form = new FormData();
		form.append('text', text || '');
		if (file) {
			form.append('image', file);
		}
		if (composer.dataset.sessionId) {
			form.append('sessionId', composer.dataset.sessionId);
		}
		// the server takes a message once by this id, whatever happens to the request
		form.append('clientId', window.crypto && window.crypto.randomUUID ? window.crypto.randomUUID()
			: Date.now().toString(36) + Math.random().toString(36).slice(2));
		const question = bubble('user');
		question.querySelector('.body').textContent = text || '';
		if (file) {
			showImages(question, [URL.createObjectURL(file)]);
		}
		scrollDown();
		sendButton.disabled = true;
		let answer = null;
		try {
			const response = await fetch(composer.action, { method: 'POST', body: form, headers: csrfHeaders() });
			if (!response.ok) {
				let message = 'The server refused the message (' + response.status + ').';
				try {
					message = (await response.json()).error || message;
				} catch (ignored) { /* not JSON */ }
				question.classList.add('refused');
				const error = bubble('error');
				error.querySelector('.body').textContent = message;
				return;
			}
			await readEvents(response, function (name, data) {
				switch (name) {
					case 'accepted':
						// stored: a new chat has its session now
						if (!composer.dataset.sessionId && data.sessionId) {
							composer.dataset.sessionId = data.sessionId;
							window.history.replaceState(null, '', '/sessions/' + data.sessionId);
						}
						break;
					case 'queued':
						// the model's provider is busy: say how many answers come first
						if (!answer) {
							answer = bubble('queued');
						}
						answer.querySelector('.body').textContent = 'Queued: ' + data.ahead
							+ (data.ahead === 1 ? ' answer' : ' answers') + ' ahead of this one…';
						break;
					case 'started':
						if (answer) {
							answer.remove();
						}
						answer = bubble('assistant streaming');
						if (data.demo) {
							answer.classList.add('demo');
						}
						if (!composer.dataset.sessionId && data.sessionId) {
							composer.dataset.sessionId = data.sessionId;
							window.history.replaceState(null, '', '/sessions/' + data.sessionId);
						}
						break;
					case 'delta':
						answer.querySelector('.body').textContent += data.text;
						scrollDown();
						break;
					case 'tool': {
						// a tool the model used: a collapsible step above the answer
						answer.insertBefore(toolStep(data.tool, data.summary, data.error), answer.querySelector('.body'));
						if (data.imageJob) {
							const card = bubble('notice');
							followImageJob(card, data.imageJob);
						}
						scrollDown();
						break;
					}
					case 'done': {
						const body = answer.querySelector('.body');
						// the stored steps replace the live ones, with the whole results
						answer.querySelectorAll('.tool-step').forEach(function (step) { step.remove(); });
						(data.tools || []).forEach(function (step) {
							answer.insertBefore(toolStep(step.tool, step.result, step.error), body);
						});
						body.classList.add('markdown');
						body.innerHTML = data.html; // rendered and sanitized by the server
						answer.classList.remove('streaming');
						const meta = document.createElement('div');
						meta.className = 'meta';
						meta.textContent = data.meta;
						answer.appendChild(meta);
						const title = document.getElementById('session-title');
						if (title && data.sessionTitle) {
							title.textContent = data.sessionTitle;
						}
						refreshSidebar(data.sessionId);
						break;
					}
					case 'notice': {
						const notice = bubble('notice');
						const body = notice.querySelector('.body');
						body.classList.add('markdown');
						body.innerHTML = data.html; // rendered and sanitized by the server
						if (data.imageJob) {
							// the job's card draws its own buttons once it is finished
							followImageJob(notice, data.imageJob);
						} else {
							showActions(notice, data.actions);
						}
						refreshSidebar(composer.dataset.sessionId);
						break;
					}
					case 'error': {
						// the question is kept in the session, with this reason
						if (answer) {
							answer.remove();
						}
						const error = bubble('error');
						error.querySelector('.body').textContent = data.message;
						break;
					}
				}
				scrollDown();
			});
		} catch (failure) {
			const error = bubble('error');
			error.querySelector('.body').textContent = 'The connection to the server was lost.';
		} finally {
			sendButton.disabled = false;
			scrollDown();
		}
	}

	composer.addEventListener('submit', function (event) {
		event.preventDefault();
		const text = input.value;
		const file = imageInput.files.length > 0 ? imageInput.files[0] : null;
		if (!text.trim() && !file) {
			return;
		}
		input.value = '';
		imageInput.value = '';
		preview.hidden = true;
		preview.textContent = '';
		send(text, file);
	});

	input.addEventListener('keydown', function (event) {
		if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
			event.preventDefault();
			composer.requestSubmit();
		}
	});

	imageInput.addEventListener('change', function () {
		preview.textContent = '';
		if (imageInput.files.length === 0) {
			preview.hidden = true;
			return;
		}
		const img = document.createElement('img');
		img.src = URL.createObjectURL(imageInput.files[0]);
		img.alt = 'image to send';
		preview.appendChild(img);
		preview.hidden = false;
	});

	// the page can take messages now (until this runs, Enter would only add a line)
	composer.dataset.ready = 'true';
	scrollDown();
})();
