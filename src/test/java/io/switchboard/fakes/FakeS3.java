package io.switchboard.fakes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fake of Amazon S3's REST API, path-style ({@code /<bucket>/<key>}), in its wire
 * format: {@code PUT} keeps an object with its {@code Content-Type} and
 * {@code x-amz-meta-*} headers and answers its {@code ETag}; {@code HEAD} and {@code GET}
 * answer them back (a missing object: 404, with S3's {@code NoSuchKey} XML error for
 * {@code GET}); an unknown bucket answers {@code NoSuchBucket}. Every request must be
 * signed (AWS Signature Version 4): in its {@code Authorization} header, or, for a
 * presigned link, in {@code X-Amz-Signature} with {@code X-Amz-Date} and
 * {@code X-Amz-Expires}, refused with {@code AccessDenied} once expired. (The signature
 * itself is not recomputed.)
 */
public final class FakeS3 extends FakeHttpServer {

	private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	private final String bucket;

	private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();

	private FakeS3(String bucket) {
		this.bucket = bucket;
	}

	public static FakeS3 start(String bucket) {
		return new FakeS3(bucket);
	}

	/** An object as kept. */
	public record StoredObject(byte[] bytes, String contentType, Map<String, String> metadata) {
	}

	public Map<String, StoredObject> objects() {
		return Map.copyOf(objects);
	}

	@Override
	protected Reply answer(RecordedRequest request) {
		String unsigned = unsigned(request);
		if (unsigned != null) {
			return error(403, "AccessDenied", unsigned);
		}
		String path = request.path();
		String prefix = "/" + bucket + "/";
		if (!path.startsWith(prefix)) {
			return error(404, "NoSuchBucket", "The specified bucket does not exist");
		}
		String key = path.substring(prefix.length());
		return switch (request.method()) {
			case "PUT" -> put(key, request);
			case "HEAD", "GET" -> {
				StoredObject object = objects.get(key);
				if (object == null) {
					yield "HEAD".equals(request.method()) ? new Reply.Whole(404, Map.of(), new byte[0], Duration.ZERO)
							: error(404, "NoSuchKey", "The specified key does not exist.");
				}
				Map<String, String> headers = new LinkedHashMap<>();
				headers.put("Content-Type", object.contentType());
				headers.put("ETag", "\"" + Integer.toHexString(java.util.Arrays.hashCode(object.bytes())) + "\"");
				object.metadata().forEach((name, value) -> headers.put("x-amz-meta-" + name, value));
				if ("HEAD".equals(request.method())) {
					// a HEAD answer says the length of the body a GET would get
					headers.put("Content-Length", Integer.toString(object.bytes().length));
					yield new Reply.Whole(200, headers, new byte[0], Duration.ZERO);
				}
				yield new Reply.Whole(200, headers, object.bytes(), Duration.ZERO);
			}
			default -> error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
		};
	}

	private Reply put(String key, RecordedRequest request) {
		Map<String, String> metadata = new LinkedHashMap<>();
		request.headers().forEach((name, values) -> {
			if (name.startsWith("x-amz-meta-")) {
				metadata.put(name.substring("x-amz-meta-".length()), values.getFirst());
			}
		});
		String type = request.header("content-type");
		byte[] body = request.body();
		String payload = request.header("x-amz-content-sha256");
		if (payload != null && payload.startsWith("STREAMING-")) {
			body = dechunk(body);
			String declared = request.header("x-amz-decoded-content-length");
			if (declared != null && Long.parseLong(declared) != body.length) {
				return error(400, "IncompleteBody", "You did not provide the number of bytes specified");
			}
		}
		objects.put(key, new StoredObject(body, type == null ? "binary/octet-stream" : type, metadata));
		return new Reply.Whole(200, Map.of("ETag", "\"" + Integer.toHexString(java.util.Arrays.hashCode(body)) + "\""),
				new byte[0], Duration.ZERO);
	}

	/**
	 * The payload of a SigV4 streaming upload ({@code aws-chunked}): chunks of
	 * {@code <hex size>;chunk-signature=<sig>\r\n<bytes>\r\n}, ending with a chunk of
	 * size 0 (and, for the trailer variants, trailing headers, ignored here).
	 */
	private static byte[] dechunk(byte[] body) {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		int at = 0;
		while (at < body.length) {
			int lineEnd = at;
			while (lineEnd + 1 < body.length && !(body[lineEnd] == '\r' && body[lineEnd + 1] == '\n')) {
				lineEnd++;
			}
			String header = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
			int size = Integer.parseInt(header.split(";", 2)[0].strip(), 16);
			if (size == 0) {
				break;
			}
			out.write(body, lineEnd + 2, size);
			at = lineEnd + 2 + size + 2;
		}
		return out.toByteArray();
	}

	/** Why a request is not signed as S3 wants, or {@code null} when it is. */
	private static String unsigned(RecordedRequest request) {
		String authorization = request.header("authorization");
		if (authorization != null) {
			return authorization.startsWith("AWS4-HMAC-SHA256 ") ? null : "Unsupported authorization type";
		}
		String signature = request.queryParam("X-Amz-Signature");
		String date = request.queryParam("X-Amz-Date");
		String expires = request.queryParam("X-Amz-Expires");
		if (signature == null || date == null || expires == null) {
			return "Access Denied";
		}
		Instant signed = AMZ_DATE.parse(date, Instant::from);
		if (Instant.now().isAfter(signed.plusSeconds(Long.parseLong(expires)))) {
			return "Request has expired";
		}
		return null;
	}

	private static Reply error(int status, String code, String message) {
		String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
				+ "</Message><RequestId>fake</RequestId></Error>";
		return new Reply.Whole(status, Map.of("Content-Type", "application/xml"), xml.getBytes(StandardCharsets.UTF_8),
				Duration.ZERO);
	}

	/** The objects' keys, for tests. */
	public List<String> keys() {
		return List.copyOf(objects.keySet());
	}

}
