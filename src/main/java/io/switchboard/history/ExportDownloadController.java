package io.switchboard.history;

import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;

import io.switchboard.conversation.ConversationException;
import io.switchboard.conversation.SessionId;
import io.switchboard.conversation.UserId;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The signed download links {@code /export} hands out: a link works without signing in,
 * for the person and scope it was made for, until it expires; anything else is a 403.
 */
@RestController
class ExportDownloadController {

	private final ExportLinks links;

	private final HistoryExport export;

	ExportDownloadController(ExportLinks links, HistoryExport export) {
		this.links = links;
		this.export = export;
	}

	@GetMapping(ExportLinks.PATH)
	ResponseEntity<StreamingResponseBody> download(@RequestParam long user, @RequestParam String scope,
			@RequestParam String format, @RequestParam long exp, @RequestParam String sig) {
		HistoryExport.Format as;
		SessionId session;
		try {
			as = HistoryExport.Format.named(format);
			session = "all".equals(scope) ? null : new SessionId(Long.parseLong(scope));
		}
		catch (IllegalArgumentException bad) {
			return text(HttpStatus.BAD_REQUEST, "This is not an export link.");
		}
		ExportLinks.Scope what = new ExportLinks.Scope(new UserId(user), session);
		if (!links.verify(what, as, exp, sig)) {
			return text(HttpStatus.FORBIDDEN,
					"This export link is not valid or has expired. Send /export again for a new one.");
		}
		if (session != null) {
			try {
				// checked before the download starts, so a removed session is a clear 404
				export.check(what.user(), session);
			}
			catch (ConversationException.NotFound gone) {
				return text(HttpStatus.NOT_FOUND, gone.getMessage());
			}
		}
		StreamingResponseBody body = out -> {
			OutputStreamWriter writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
			if (session == null) {
				export.everything(what.user(), as, writer);
			}
			else {
				export.session(what.user(), session, as, writer);
			}
		};
		return ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_TYPE, as.contentType())
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename(HistoryExport.fileName(session, as)).build().toString())
			.body(body);
	}

	/**
	 * A refusal in plain text (as a streamed body: the handler's return type is the
	 * download's).
	 */
	private static ResponseEntity<StreamingResponseBody> text(HttpStatus status, String message) {
		return ResponseEntity.status(status)
			.contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
			.body(out -> out.write(message.getBytes(StandardCharsets.UTF_8)));
	}

}
