// Voice messages on the chat page: record one with the microphone (MediaRecorder) or pick
// an audio file. Either is handed to the chat script as a "voice-message" event on the
// composer, which sends it like a typed message; the server hears it, shows what it heard
// and answers its words. The server checks length, size and format from the bytes; the
// length measured here is sent along so that a recording without its length in a header
// (WebM) is checked too.
(function () {
	'use strict';

	const composer = document.getElementById('composer');
	const record = document.getElementById('record');
	const audioInput = document.getElementById('audio-input');
	const preview = document.getElementById('image-preview');
	if (!composer || !record || !audioInput) {
		return;
	}

	function voiceMessage(audio, millis) {
		composer.dispatchEvent(new CustomEvent('voice-message', { detail: { audio: audio, millis: millis } }));
	}

	function refuse(message) {
		preview.textContent = '';
		const why = document.createElement('p');
		why.className = 'error';
		why.id = 'voice-error';
		why.setAttribute('role', 'alert');
		why.textContent = message;
		preview.appendChild(why);
		preview.hidden = false;
	}

	audioInput.addEventListener('change', function () {
		if (audioInput.files.length === 0) {
			return;
		}
		const file = audioInput.files[0];
		audioInput.value = '';
		preview.hidden = true;
		preview.textContent = '';
		voiceMessage(file, null);
	});

	if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || typeof window.MediaRecorder === 'undefined') {
		// no microphone here (or not a secure page): an audio file can still be sent
		record.hidden = true;
		return;
	}
	record.hidden = false;

	let recorder = null;
	let started = 0;
	let ticking = null;
	const label = record.textContent;

	function clock(millis) {
		const seconds = Math.floor(millis / 1000);
		return Math.floor(seconds / 60) + ':' + String(seconds % 60).padStart(2, '0');
	}

	function stopped() {
		window.clearInterval(ticking);
		record.textContent = label;
		record.setAttribute('aria-pressed', 'false');
		record.classList.remove('recording');
	}

	record.addEventListener('click', async function () {
		if (recorder) {
			recorder.stop();
			return;
		}
		let stream;
		try {
			stream = await navigator.mediaDevices.getUserMedia({ audio: true });
		} catch (failure) {
			refuse('The microphone could not be used (' + (failure && failure.name ? failure.name : 'refused')
				+ '). Allow it in the browser, or send an audio file instead.');
			return;
		}
		preview.hidden = true;
		preview.textContent = '';
		const chunks = [];
		recorder = new MediaRecorder(stream);
		recorder.addEventListener('dataavailable', function (event) {
			if (event.data && event.data.size > 0) {
				chunks.push(event.data);
			}
		});
		recorder.addEventListener('stop', function () {
			const millis = Date.now() - started;
			const type = recorder.mimeType || 'audio/webm';
			recorder = null;
			stream.getTracks().forEach(function (track) { track.stop(); });
			stopped();
			const audio = new Blob(chunks, { type: type });
			if (audio.size === 0) {
				refuse('Nothing was recorded. Check the microphone and try again.');
				return;
			}
			voiceMessage(audio, millis);
		});
		started = Date.now();
		recorder.start();
		record.setAttribute('aria-pressed', 'true');
		record.classList.add('recording');
		record.textContent = '■ Stop and send 0:00';
		ticking = window.setInterval(function () {
			record.textContent = '■ Stop and send ' + clock(Date.now() - started);
		}, 500);
	});
})();
