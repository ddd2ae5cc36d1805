package io.switchboard.history;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.switchboard.conversation.SessionId;
import io.switchboard.conversation.UserId;
import io.switchboard.media.MediaProperties;
import io.switchboard.system.Signatures;

import org.springframework.stereotype.Component;

/**
 * Download links for {@code /export} on chat platforms, where nobody is signed in to this
 * server: signed, for one person and one scope (a session or everything), expiring after
 * a day, under the public base URL.
 */
@Component
class ExportLinks {

	static final Duration TTL = Duration.ofHours(24);

	static final String PATH = "/export/download";

	private final Signatures.Signer signer;

	private final MediaProperties media;

	private final Clock clock;

	ExportLinks(Signatures signatures, MediaProperties media, Clock clock) {
		this.signer = signatures.stored("export-link-signing-key");
		this.media = media;
		this.clock = clock;
	}

	/**
	 * What a link exports: everything of the user's ({@code session} null) or a session.
	 */
	record Scope(UserId user, SessionId session) {

		String value() {
			return session == null ? "all" : Long.toString(session.value());
		}

	}

	URI link(Scope scope, HistoryExport.Format format) {
		long expires = clock.instant().plus(TTL).getEpochSecond();
		String base = media.publicBaseUrl().toString();
		if (base.endsWith("/")) {
			base = base.substring(0, base.length() - 1);
		}
		return URI.create(base + PATH + "?user=" + scope.user().value() + "&scope=" + scope.value() + "&format="
				+ format.extension() + "&exp=" + expires + "&sig=" + signer.sign(message(scope, format, expires)));
	}

	boolean verify(Scope scope, HistoryExport.Format format, long expires, String signature) {
		if (Instant.ofEpochSecond(expires).isBefore(clock.instant())) {
			return false;
		}
		return signer.verify(message(scope, format, expires), signature);
	}

	private static String message(Scope scope, HistoryExport.Format format, long expires) {
		return "export:" + scope.user().value() + ":" + scope.value() + ":" + format.extension() + ":" + expires;
	}

}
