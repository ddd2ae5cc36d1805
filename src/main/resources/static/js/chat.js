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

	const maxChars = parseInt(composer.dataset.maxChars || '0', 10);
	const maxUpload = parseInt(composer.dataset.maxUpload || '0', 10);
	const stopButton = document.getElementById('stop');
	const counter = document.getElementById('char-counter');
	let reading = null; // the AbortController of the answer being read
	// the stored answer being written, which Stop stops on the server
	let answering = null;

	// the message pane scrolls, never the window; a picture that arrives later (an image
	// job's grid) scrolls it again once it has its height
	function scrollDown() {
		messages.scrollTop = messages.scrollHeight;
	}

	function nearBottom() {
		return messages.scrollHeight - messages.scrollTop - messages.clientHeight < 120;
	}

	// false while the page shows a search hit: pictures loading below must not scroll it away
	let followNewest = true;

	messages.addEventListener('load', function (event) {
		if (event.target.tagName === 'IMG' && (nearBottom()
			|| (followNewest && event.target.closest('.message') === messages.lastElementChild))) {
			scrollDown();
		}
	}, true);

	function sizeLabel(bytes) {
		if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) {
			return (bytes / (1024 * 1024)) + ' MB';
		}
		return Math.round(bytes / 1024) + ' KB';
	}

	// code blocks: highlighted (highlight.js, from the page's own server) with a copy button
	function decorate(root) {
		root.querySelectorAll('.markdown pre > code').forEach(function (code) {
			if (code.dataset.decorated) {
				return;
			}
			code.dataset.decorated = 'true';
			if (window.hljs) {
				window.hljs.highlightElement(code);
			}
			const copy = document.createElement('button');
			copy.type = 'button';
			copy.className = 'copy-code';
			copy.textContent = 'Copy';
			copy.setAttribute('aria-label', 'Copy this code');
			copy.addEventListener('click', function () {
				copyText(code.textContent, copy);
			});
			code.parentElement.appendChild(copy);
		});
	}

	function copyText(text, button) {
		if (!navigator.clipboard) {
			return;
		}
		navigator.clipboard.writeText(text).then(function () {
			const label = button.textContent;
			button.textContent = 'Copied';
			window.setTimeout(function () {
				button.textContent = label;
			}, 1500);
		});
	}

	// under each answer: copy it; under the last one also regenerate, and edit the question
	function addTools(answer) {
		if (answer.querySelector('.tools')) {
			return;
		}
		const tools = document.createElement('div');
		tools.className = 'tools';
		const copy = document.createElement('button');
		copy.type = 'button';
		copy.className = 'copy-answer';
		copy.textContent = 'Copy';
		copy.addEventListener('click', function () {
			copyText(answer.querySelector('.body').innerText, copy);
		});
		tools.appendChild(copy);
		answer.appendChild(tools);
		refreshLastTools();
	}

	function lastQuestion() {
		const questions = messages.querySelectorAll('.message.user:not(.command)');
		return questions.length > 0 ? questions[questions.length - 1] : null;
	}

	function refreshLastTools() {
		messages.querySelectorAll('.tools .regenerate, .tools .edit').forEach(function (button) {
			button.remove();
		});
		const answers = messages.querySelectorAll('.message.assistant:not(.streaming)');
		const question = lastQuestion();
		// an earlier page of a long session: its last answer is not the conversation's
		if (answers.length === 0 || !question || question.querySelector('img') || document.getElementById('later-messages')) {
			return;
		}
		const last = answers[answers.length - 1];
		const tools = last.querySelector('.tools');
		if (!tools) {
			return;
		}
		const text = question.querySelector('.body').textContent;
		const regenerate = document.createElement('button');
		regenerate.type = 'button';
		regenerate.className = 'regenerate';
		regenerate.textContent = 'Regenerate';
		regenerate.title = 'Ask the last question again';
		regenerate.addEventListener('click', function () {
			send(text, null);
		});
		const edit = document.createElement('button');
		edit.type = 'button';
		edit.className = 'edit';
		edit.textContent = 'Edit question';
		edit.title = 'Put the last question back in the message box to change and send it again';
		edit.addEventListener('click', function () {
			input.value = text;
			updateCounter();
			input.focus();
		});
		tools.appendChild(regenerate);
		tools.appendChild(edit);
	}

	function updateCounter() {
		if (!maxChars) {
			return;
		}
		const length = input.value.length;
		counter.classList.toggle('over', length > maxChars);
		counter.textContent = length >= maxChars * 0.8 ? length.toLocaleString() + ' / ' + maxChars.toLocaleString()
			+ (length > maxChars ? ' characters: too long to send' : ' characters') : '';
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
				send(action.command, null, action.label);
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

	function followImageJob(element, id, existing) {
		const card = existing || document.createElement('div');
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
		if (!existing) {
			element.appendChild(card);
		}
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
		if (followNewest) {
			scrollDown();
		}
	}

	function refreshSidebar(sessionId) {
		if (window.htmx) {
			window.htmx.ajax('GET', '/sessions/sidebar' + (sessionId ? '?current=' + sessionId : ''),
				{ target: '#session-list', swap: 'innerHTML' });
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

	// voice: a recorded or chosen audio clip ({ audio: Blob or File, millis }), sent on its own
	async function send(text, file, shown, voice) {
		if (maxChars && text && text.length > maxChars) {
			const error = bubble('error');
			error.querySelector('.body').textContent = 'Your message is too long: ' + text.length.toLocaleString()
				+ ' characters, and the limit is ' + maxChars.toLocaleString() + '. Nothing was sent; your text is still in the box.';
			if (!input.value) {
				input.value = text;
				updateCounter();
			}
			scrollDown();
			return;
		}
		followNewest = true;
		const form = new FormData();
		form.append('text', text || '');
		if (file) {
			form.append('image', file);
		}
		if (voice) {
			form.append('audio', voice.audio, voice.audio.name || 'voice.webm');
			if (voice.millis) {
				form.append('audioMillis', String(Math.round(voice.millis)));
			}
		}
		if (composer.dataset.sessionId) {
			form.append('sessionId', composer.dataset.sessionId);
		}
		// the server takes a message once by this id, whatever happens to the request
		form.append('clientId', window.crypto && window.crypto.randomUUID ? window.crypto.randomUUID()
			: Date.now().toString(36) + Math.random().toString(36).slice(2));
		const question = bubble('user');
		question.querySelector('.body').textContent = shown || text || '';
		if (file) {
			showImages(question, [URL.createObjectURL(file)]);
		}
		if (voice) {
			question.classList.add('voice');
			question.querySelector('.body').textContent = '🎤 Voice message';
			const player = document.createElement('audio');
			player.controls = true;
			player.src = URL.createObjectURL(voice.audio);
			player.setAttribute('aria-label', 'Your voice message');
			question.appendChild(player);
		}
		scrollDown();
		sendButton.disabled = true;
		reading = new AbortController();
		stopButton.hidden = false;
		stopButton.disabled = false;
		stopButton.textContent = 'Stop';
		answering = null;
		let answer = null;
		function keepText() {
			// a refused message is not lost: it goes back in the box, unless something new is there
			if (!input.value && text && !shown) {
				input.value = text;
				updateCounter();
			}
		}
		try {
			const response = await fetch(composer.action, { method: 'POST', body: form, headers: csrfHeaders(),
				signal: reading.signal });
			if (!response.ok) {
				let message = 'The server refused the message (' + response.status + ').';
				try {
					message = (await response.json()).error || message;
				} catch (ignored) { /* not JSON */ }
				question.classList.add('refused');
				const error = bubble('error');
				error.querySelector('.body').textContent = message;
				keepText();
				return;
			}
			await readEvents(response, function (name, data) {
				switch (name) {
					case 'command':
						// a command reads as what it does ("Upscale 1 of image #2")
						question.classList.add('command');
						question.querySelector('.body').textContent = data.text;
						break;
					case 'accepted':
						// the answer the Stop button stops
						answering = data.answerId || null;
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
						if (data.stopped) {
							// what was shown until Stop is the answer, and says so
							answer.classList.add('stopped');
						}
						const meta = document.createElement('div');
						meta.className = 'meta';
						meta.textContent = data.meta;
						answer.appendChild(meta);
						// the answer spoken aloud (/user voice on): a player per piece
						(data.audio || []).forEach(function (url, i, all) {
							const player = document.createElement('audio');
							player.controls = true;
							player.preload = 'none';
							player.src = url;
							player.setAttribute('aria-label', 'The answer, spoken' + (all.length > 1 ? ' (part ' + (i + 1) + ' of ' + all.length + ')' : ''));
							answer.insertBefore(player, meta);
						});
						decorate(answer);
						addTools(answer);
						const title = document.getElementById('session-title');
						if (title && data.sessionTitle) {
							title.textContent = data.sessionTitle;
						}
						refreshSidebar(data.sessionId);
						break;
					}
					case 'notice': {
						const notice = bubble('notice');
						if (answer && answer.classList.contains('streaming')) {
							// what a voice message was heard to say goes above its answer
							messages.insertBefore(notice, answer);
						}
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
						keepText();
						break;
					}
				}
				scrollDown();
			});
		} catch (failure) {
			if (failure && failure.name === 'AbortError') {
				if (answer) {
					answer.classList.remove('streaming');
					answer.classList.add('stopped');
				}
				const note = bubble('notice');
				note.querySelector('.body').textContent = 'Stopped. The rest of the answer is kept in this '
					+ 'conversation and shows when you reload.';
			} else {
				const error = bubble('error');
				error.querySelector('.body').textContent = 'The connection to the server was lost.';
				keepText();
			}
		} finally {
			reading = null;
			answering = null;
			stopButton.hidden = true;
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
		if (commandList) {
			commandList.hidden = true;
		}
		imageInput.value = '';
		preview.hidden = true;
		preview.textContent = '';
		send(text, file);
	});

	// the command list: typing "/" shows the commands of /help, and the words after it
	// filter them (by name or by what they do); arrows move, Enter or Tab picks, Escape
	// closes
	const commandList = document.getElementById('command-list');
	const commandOptions = commandList ? Array.from(commandList.querySelectorAll('li[role=option]')) : [];
	let commandActive = -1;
	function visibleCommands() {
		return commandOptions.filter(function (option) { return !option.hidden; });
	}
	function markCommand(index) {
		const shown = visibleCommands();
		commandActive = shown.length === 0 ? -1 : Math.max(-1, Math.min(index, shown.length - 1));
		commandOptions.forEach(function (option) { option.setAttribute('aria-selected', 'false'); });
		if (commandActive >= 0) {
			shown[commandActive].setAttribute('aria-selected', 'true');
			shown[commandActive].scrollIntoView({ block: 'nearest' });
		}
	}
	function filterCommands() {
		if (!commandList) {
			return;
		}
		const value = input.value;
		if (!value.startsWith('/') || value.includes('\n')) {
			commandList.hidden = true;
			return;
		}
		const words = value.slice(1).toLowerCase().split(/\s+/).filter(Boolean);
		let count = 0;
		commandOptions.forEach(function (option) {
			const text = option.textContent.toLowerCase();
			// every word must be in the command or in what it does, in any order
			const match = words.every(function (word) { return text.includes(word); });
			option.hidden = !match;
			if (match) {
				count++;
			}
		});
		commandList.hidden = count === 0;
		document.getElementById('command-count').textContent = count === 0 ? ''
			: count + (count === 1 ? ' command matches' : ' commands match') + ': ↑ ↓ to choose, Enter or Tab to pick';
		markCommand(-1);
	}
	function pickCommand(option) {
		input.value = option.dataset.insert;
		commandList.hidden = true;
		input.focus();
		updateCounter();
	}
	commandOptions.forEach(function (option) {
		option.addEventListener('mousedown', function (event) {
			event.preventDefault(); // keep the focus in the message box
			pickCommand(option);
		});
	});
	input.addEventListener('input', filterCommands);

	input.addEventListener('keydown', function (event) {
		if (commandList && !commandList.hidden && !event.isComposing) {
			const shown = visibleCommands();
			if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
				event.preventDefault();
				markCommand(commandActive + (event.key === 'ArrowDown' ? 1 : -1));
				return;
			}
			if (event.key === 'Escape') {
				commandList.hidden = true;
				return;
			}
			// Tab picks the marked or the first; Enter only one chosen with the arrows, so a
			// command typed out in full is still sent by Enter
			if ((event.key === 'Tab' && !event.shiftKey && shown.length > 0)
					|| (event.key === 'Enter' && !event.shiftKey && commandActive >= 0)) {
				event.preventDefault();
				pickCommand(shown[Math.max(commandActive, 0)]);
				return;
			}
		}
		if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
			event.preventDefault();
			composer.requestSubmit();
		}
	});

	function refuseFile(message) {
		imageInput.value = '';
		preview.textContent = '';
		const why = document.createElement('p');
		why.className = 'error';
		why.id = 'file-error';
		why.textContent = message;
		preview.appendChild(why);
		preview.hidden = false;
	}

	imageInput.addEventListener('change', function () {
		preview.textContent = '';
		if (imageInput.files.length === 0) {
			preview.hidden = true;
			return;
		}
		const file = imageInput.files[0];
		if (maxUpload && file.size > maxUpload) {
			refuseFile('“' + file.name + '” is ' + sizeLabel(file.size) + ': the limit is ' + sizeLabel(maxUpload) + '.');
			return;
		}
		const img = document.createElement('img');
		img.alt = 'image to send';
		img.addEventListener('error', function () {
			// a name ending in .png does not make a picture
			refuseFile('“' + file.name + '” is not a picture this browser can read. Attach a PNG, JPEG, GIF or WebP image.');
		});
		img.src = URL.createObjectURL(file);
		preview.appendChild(img);
		preview.hidden = false;
	});

	input.addEventListener('input', updateCounter);

	// a voice message from voice.js (the microphone or an audio file)
	composer.addEventListener('voice-message', function (event) {
		send('', null, null, event.detail);
	});

	stopButton.addEventListener('click', async function () {
		if (!reading) {
			return;
		}
		const controller = reading;
		if (!answering) {
			// not stored yet: nothing on the server to stop
			controller.abort();
			return;
		}
		// the server cancels the model's stream and keeps what was shown; the stream then
		// ends with the answer as usual
		stopButton.disabled = true;
		stopButton.textContent = 'Stopping…';
		try {
			const response = await fetch('/chat/answers/' + encodeURIComponent(answering) + '/stop',
				{ method: 'POST', headers: csrfHeaders() });
			if (!response.ok && response.status !== 409) {
				controller.abort();
			}
		} catch (failure) {
			controller.abort();
		}
	});

	// the session list's button (link another platform) sends its command like a typed one
	document.querySelectorAll('#sidebar button[data-command]').forEach(function (button) {
		button.addEventListener('click', function () {
			document.body.classList.remove('sessions-open');
			send(button.dataset.command, null);
		});
	});

	// buttons kept in the history send their commands like live ones
	messages.addEventListener('click', function (event) {
		const button = event.target.closest('button[data-command]');
		if (button) {
			send(button.dataset.command, null, button.textContent);
		}
	});

	// image jobs kept in the history are drawn in place: their state, picture and buttons
	messages.querySelectorAll('.image-job[data-follow]').forEach(function (card) {
		followImageJob(card.parentElement, card.dataset.follow, card);
	});
	decorate(messages);
	messages.querySelectorAll('.message.assistant').forEach(addTools);

	// the page can take messages now (until this runs, Enter would only add a line)
	composer.dataset.ready = 'true';
	const found = window.location.hash && document.getElementById(window.location.hash.slice(1));
	if (found && messages.contains(found)) {
		// a search hit: show that message, marked
		found.classList.add('found');
		followNewest = false;
		found.scrollIntoView({ block: 'center' });
	} else {
		scrollDown();
	}
})();
