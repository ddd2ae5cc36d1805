// The comic studio page. Everything is done on the server; this script only
//  - fills genre and style from a chosen preset,
//  - disables a form's buttons and says what is happening while the model writes,
//  - asks before deleting,
//  - follows a comic that makes itself (/comic) by reloading until it is done,
//  - shows each panel's progress from server-sent events and swaps in the panel's
//    server-rendered card when its image job has finished.
(function () {
	'use strict';

	const preset = document.getElementById('preset');
	if (preset) {
		preset.addEventListener('change', function () {
			const option = preset.options[preset.selectedIndex];
			const genre = document.getElementById('genre');
			const style = document.getElementById('style');
			if (option && option.dataset.genre !== undefined) {
				genre.value = option.dataset.genre;
				style.value = option.dataset.style;
			}
		});
	}

	document.querySelectorAll('form.comic-form').forEach(function (form) {
		form.addEventListener('submit', function (event) {
			const busy = document.createElement('p');
			busy.className = 'hint comic-busy';
			busy.textContent = form.dataset.busy || 'Working…';
			form.appendChild(busy);
			// disable after the browser has read the pressed button's name and value
			window.setTimeout(function () {
				form.querySelectorAll('button').forEach(function (button) { button.disabled = true; });
			}, 0);
		});
	});

	document.querySelectorAll('form.confirm').forEach(function (form) {
		form.addEventListener('submit', function (event) {
			if (!window.confirm(form.dataset.confirm)) {
				event.preventDefault();
			}
		});
	});

	const studio = document.getElementById('studio');
	// a comic making itself (/comic): look again every few seconds until it is done
	if (studio && studio.dataset.running === 'true') {
		window.setTimeout(function () { window.location.reload(); }, 3000);
		return;
	}
	if (!studio || studio.dataset.step !== 'panels' || typeof window.EventSource === 'undefined') {
		return;
	}
	const comicId = studio.dataset.comicId;

	function refreshPanel(index) {
		fetch('/comics/' + comicId + '/panels/' + index, { headers: { 'Accept': 'text/html' } })
			.then(function (response) { return response.ok ? response.text() : null; })
			.then(function (html) {
				if (html === null) {
					return;
				}
				const old = document.getElementById('panel-' + index);
				const holder = document.createElement('div');
				holder.innerHTML = html.trim();
				const fresh = holder.querySelector('#panel-' + index);
				if (old && fresh) {
					old.replaceWith(fresh);
				}
				refreshNext();
			});
	}

	// the "next" button appears once every panel has its image: reload the page then
	function refreshNext() {
		const cards = document.querySelectorAll('.comic-panel-card');
		const drawn = Array.prototype.every.call(cards, function (card) {
			return card.querySelector('.comic-panel-image') !== null;
		});
		if (drawn && document.getElementById('waiting-panels')) {
			window.location.reload();
		}
	}

	const events = new EventSource('/comics/' + comicId + '/events');
	events.addEventListener('panel', function (event) {
		const update = JSON.parse(event.data);
		const card = document.getElementById('panel-' + update.panel);
		if (!card) {
			return;
		}
		if (update.finished) {
			refreshPanel(update.panel);
			return;
		}
		let progress = document.getElementById('progress-' + update.panel);
		if (!progress) {
			refreshPanel(update.panel);
			return;
		}
		progress.value = update.progress;
		const label = progress.nextElementSibling;
		if (label) {
			label.textContent = update.state + ' · ' + update.progress + '%';
		}
	});
	// a panel may have finished between the page's rendering and the stream's opening
	events.addEventListener('hello', function () {
		document.querySelectorAll('.comic-panel-card').forEach(function (card) {
			if (card.dataset.state && ['queued', 'submitted', 'running'].indexOf(card.dataset.state) >= 0) {
				refreshPanel(card.dataset.panel);
			}
		});
	});
})();
