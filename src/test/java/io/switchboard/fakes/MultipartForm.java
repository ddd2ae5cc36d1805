package io.switchboard.fakes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a {@code multipart/form-data} body, as the image fakes receive uploads. */
public final class MultipartForm {

	/** One part: a field's text, or a file's name and bytes. */
	public record Part(String name, String fileName, String contentType, byte[] bytes) {

		public String text() {
			return new String(bytes, StandardCharsets.UTF_8);
		}

	}

	private MultipartForm() {
	}

	/**
	 * The parts by name (the last one wins for repeated names); empty for other bodies.
	 */
	public static Map<String, Part> parse(String contentType, byte[] body) {
		Map<String, Part> parts = new LinkedHashMap<>();
		if (contentType == null || !contentType.startsWith("multipart/form-data")) {
			return parts;
		}
		int at = contentType.indexOf("boundary=");
		if (at < 0) {
			return parts;
		}
		byte[] delimiter = ("--" + contentType.substring(at + 9).replace("\"", "")).getBytes(StandardCharsets.UTF_8);
		int position = indexOf(body, delimiter, 0);
		while (position >= 0) {
			int start = position + delimiter.length;
			if (start + 2 <= body.length && body[start] == '-' && body[start + 1] == '-') {
				break;
			}
			start += 2; // CRLF
			int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.UTF_8), start);
			if (headersEnd < 0) {
				break;
			}
			String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
			int next = indexOf(body, delimiter, headersEnd + 4);
			if (next < 0) {
				break;
			}
			byte[] content = Arrays.copyOfRange(body, headersEnd + 4, next - 2);
			String name = attribute(headers, "name");
			parts.put(name, new Part(name, attribute(headers, "filename"), header(headers, "content-type"), content));
			position = next;
		}
		return parts;
	}

	private static String attribute(String headers, String attribute) {
		String marker = " " + attribute + "=\"";
		int at = headers.indexOf(marker);
		if (at < 0) {
			marker = ";" + attribute + "=\"";
			at = headers.indexOf(marker);
		}
		if (at < 0) {
			return null;
		}
		int end = headers.indexOf('"', at + marker.length());
		return headers.substring(at + marker.length(), end);
	}

	private static String header(String headers, String name) {
		for (String line : headers.split("\r\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
				return line.substring(colon + 1).strip();
			}
		}
		return null;
	}

	private static int indexOf(byte[] data, byte[] pattern, int from) {
		outer: for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (data[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
