package io.switchboard.channel.web;

import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.switchboard.conversation.SessionId;
import io.switchboard.history.HistoryExport;
import io.switchboard.history.MessageSearch;
import io.switchboard.history.SearchHit;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The search page (what {@code /search} finds, with the hits highlighted and linked into
 * their sessions) and the export downloads for the signed-in person.
 */
@Controller
class HistoryController {

	static final int PAGE = 20;

	private final MessageSearch search;

	private final HistoryExport export;

	HistoryController(MessageSearch search, HistoryExport export) {
		this.search = search;
		this.export = export;
	}

	@GetMapping("/search")
	String search(@AuthenticationPrincipal WebPrincipal me, @RequestParam(defaultValue = "") String q,
			@RequestParam(defaultValue = "0") int page, Model model) {
		model.addAttribute("q", q);
		model.addAttribute("hits", List.of());
		if (!q.isBlank()) {
			try {
				if (page < 0 || page > 1000) {
					throw new IllegalArgumentException("There is no page " + page + " of results.");
				}
				List<SearchHit> hits = search.search(me.userId(), q, PAGE + 1, page * PAGE);
				model.addAttribute("hits", hits.subList(0, Math.min(PAGE, hits.size())));
				model.addAttribute("nextPage", hits.size() > PAGE ? page + 1 : null);
				model.addAttribute("searched", true);
			}
			catch (MessageSearch.BadSearch | IllegalArgumentException bad) {
				model.addAttribute("error", bad.getMessage().replace("`", ""));
			}
		}
		return "web/search";
	}

	@GetMapping("/export/sessions/{id}.{format}")
	ResponseEntity<StreamingResponseBody> session(@AuthenticationPrincipal WebPrincipal me, @PathVariable long id,
			@PathVariable String format) {
		HistoryExport.Format as = format(format);
		SessionId session = new SessionId(id);
		// a session they may not read is a 404 before the download starts
		export.check(me.userId(), session);
		return download(HistoryExport.fileName(session, as), as,
				writer -> export.session(me.userId(), session, as, writer));
	}

	@GetMapping("/export/all.{format}")
	ResponseEntity<StreamingResponseBody> everything(@AuthenticationPrincipal WebPrincipal me,
			@PathVariable String format) {
		HistoryExport.Format as = format(format);
		return download(HistoryExport.fileName(null, as), as, writer -> export.everything(me.userId(), as, writer));
	}

	private static HistoryExport.Format format(String format) {
		try {
			return HistoryExport.Format.named(format);
		}
		catch (IllegalArgumentException unknown) {
			throw new org.springframework.web.server.ResponseStatusException(HttpStatus.NOT_FOUND,
					unknown.getMessage());
		}
	}

	private interface Writing {

		void to(OutputStreamWriter writer);

	}

	private static ResponseEntity<StreamingResponseBody> download(String name, HistoryExport.Format format,
			Writing writing) {
		return ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_TYPE, format.contentType())
			.header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name).build().toString())
			.body(out -> writing.to(new OutputStreamWriter(out, StandardCharsets.UTF_8)));
	}

}
