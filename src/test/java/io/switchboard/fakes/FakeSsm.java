package io.switchboard.fakes;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A fake of AWS Systems Manager's Parameter Store in its wire format, as the AWS SDK for
 * Java 2 speaks it: the JSON 1.1 protocol ({@code POST /}, content type
 * {@code application/x-amz-json-1.1}, the operation in
 * {@code X-Amz-Target: AmazonSSM.GetParameter} or {@code AmazonSSM.GetParameters}). Every
 * request must be signed (AWS Signature Version 4; the signature itself is not
 * recomputed). A SecureString's value is only given in clear when the request asks
 * {@code WithDecryption}; otherwise the caller gets what AWS gives: ciphertext.
 */
public final class FakeSsm extends FakeHttpServer {

	private record Stored(String value, boolean secure) {
	}

	private final Map<String, Stored> parameters = new ConcurrentHashMap<>();

	private final AtomicInteger reads = new AtomicInteger();

	private FakeSsm() {
	}

	public static FakeSsm start() {
		return new FakeSsm();
	}

	/** Keeps a SecureString parameter. */
	public FakeSsm secure(String name, String value) {
		parameters.put(name, new Stored(value, true));
		return this;
	}

	/** GetParameter and GetParameters calls so far. */
	public int reads() {
		return reads.get();
	}

	@Override
	protected Reply answer(RecordedRequest request) {
		String authorization = request.header("authorization");
		if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
			return error(400, "MissingAuthenticationTokenException", "Request is missing Authentication Token");
		}
		String target = request.header("x-amz-target");
		if (!"POST".equals(request.method()) || target == null) {
			return error(400, "UnknownOperationException", "no X-Amz-Target");
		}
		JsonNode body = request.json();
		boolean decrypt = body.path("WithDecryption").asBoolean(false);
		return switch (target) {
			case "AmazonSSM.GetParameter" -> {
				reads.incrementAndGet();
				String name = body.path("Name").asText();
				Stored stored = parameters.get(name);
				if (stored == null) {
					yield error(400, "ParameterNotFound", "Parameter " + name + " not found.");
				}
				ObjectNode reply = Json.object();
				reply.set("Parameter", parameter(name, stored, decrypt));
				yield json(reply);
			}
			case "AmazonSSM.GetParameters" -> {
				reads.incrementAndGet();
				if (body.path("Names").size() > 10) {
					yield error(400, "ValidationException",
							"1 validation error detected: Value at 'names' failed to satisfy constraint: "
									+ "Member must have length less than or equal to 10");
				}
				ObjectNode reply = Json.object();
				ArrayNode found = reply.putArray("Parameters");
				ArrayNode invalid = reply.putArray("InvalidParameters");
				for (JsonNode name : body.path("Names")) {
					Stored stored = parameters.get(name.asText());
					if (stored == null) {
						invalid.add(name.asText());
					}
					else {
						found.add(parameter(name.asText(), stored, decrypt));
					}
				}
				yield json(reply);
			}
			default -> error(400, "UnknownOperationException", target);
		};
	}

	private static ObjectNode parameter(String name, Stored stored, boolean decrypt) {
		ObjectNode parameter = Json.object();
		parameter.put("Name", name);
		parameter.put("Type", stored.secure() ? "SecureString" : "String");
		parameter.put("Value", stored.secure() && !decrypt
				? "AQICAHh" + java.util.Base64.getEncoder().encodeToString(stored.value().getBytes()) : stored.value());
		parameter.put("Version", 1);
		parameter.put("ARN", "arn:aws:ssm:us-east-1:000000000000:parameter" + (name.startsWith("/") ? "" : "/") + name);
		parameter.put("DataType", "text");
		return parameter;
	}

	private static Reply json(ObjectNode body) {
		return new Reply.Whole(200, Map.of("Content-Type", "application/x-amz-json-1.1"),
				Json.write(body).getBytes(java.nio.charset.StandardCharsets.UTF_8), java.time.Duration.ZERO);
	}

	private static Reply error(int status, String type, String message) {
		ObjectNode body = Json.object();
		body.put("__type", type);
		body.put("message", message);
		return new Reply.Whole(status, Map.of("Content-Type", "application/x-amz-json-1.1"),
				Json.write(body).getBytes(java.nio.charset.StandardCharsets.UTF_8), java.time.Duration.ZERO);
	}

}
