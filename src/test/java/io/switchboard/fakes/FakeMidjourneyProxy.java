package io.switchboard.fakes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A fake midjourney-proxy in its real wire format, under {@code /mj}:
 * {@code POST submit/imagine}, {@code submit/change}
 * ({@code UPSCALE | VARIATION | REROLL} with an index), {@code submit/action}
 * ({@code customId} of a task's button) answer {@code {code, description, result: taskId,
 * properties}} with the proxy's codes (1 submitted, 3 no such task, 23 queue full, 24
 * banned prompt); {@code GET task/{id}/fetch} shows a task going
 * {@code SUBMITTED -> IN_PROGRESS ("NN%") -> SUCCESS} over its work time, with
 * {@code imageUrl} (a 2x2 grid, or one image for an upscale) and {@code buttons}; a
 * task's {@code notifyHook} is called with the whole task JSON when it succeeds. A prompt
 * containing {@code badword} is banned. With a secret, every call needs the
 * {@code mj-api-secret} header.
 */
public final class FakeMidjourneyProxy extends FakeHttpServer {

	private final String secret;

	private final Map<String, Task> tasks = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong(1_700_000_000_000L);

	private final ScheduledExecutorService hooks = Executors.newSingleThreadScheduledExecutor();

	private final HttpClient client = HttpClient.newHttpClient();

	private final List<String> hookCalls = new CopyOnWriteArrayList<>();

	private volatile Duration workTime = Duration.ofMillis(300);

	private volatile boolean queueFull;

	private volatile boolean withButtons = true;

	private volatile URI hookHost;

	private static final class Task {

		final String id;

		final String action;

		final String prompt;

		final String notifyHook;

		final long submitted = System.currentTimeMillis();

		volatile long workMillis;

		Task(String id, String action, String prompt, String notifyHook, long workMillis) {
			this.id = id;
			this.action = action;
			this.prompt = prompt;
			this.notifyHook = notifyHook;
			this.workMillis = workMillis;
		}

	}

	private FakeMidjourneyProxy(String secret) {
		this.secret = secret;
	}

	public static FakeMidjourneyProxy start(String secret) {
		return new FakeMidjourneyProxy(secret);
	}

	/** {@code http://127.0.0.1:<port>/mj}, the proxy's base URL. */
	public URI baseUrl() {
		return URI.create(uri() + "/mj");
	}

	/** How long new tasks take. */
	public FakeMidjourneyProxy workTime(Duration workTime) {
		this.workTime = workTime;
		return this;
	}

	/** Makes every task, running ones too, finish at once. */
	public void finishAll() {
		tasks.values().forEach(task -> task.workMillis = 0);
	}

	public FakeMidjourneyProxy queueFull(boolean full) {
		this.queueFull = full;
		return this;
	}

	/** An old proxy: no buttons on tasks (so no /submit/action custom ids). */
	public FakeMidjourneyProxy withoutButtons() {
		this.withButtons = false;
		return this;
	}

	/** The task ids whose notify hook has been called. */
	public List<String> hookCalls() {
		return List.copyOf(hookCalls);
	}

	/**
	 * Calls notify hooks on this host instead of the one in their address, as a reverse
	 * proxy in front of the server would (tests learn their server's port late).
	 */
	public FakeMidjourneyProxy rewriteHooksTo(URI host) {
		this.hookHost = host;
		return this;
	}

	public int taskCount() {
		return tasks.size();
	}

	@Override
	public void close() {
		hooks.shutdownNow();
		super.close();
	}

	@Override
	protected Reply answer(RecordedRequest request) {
		if (secret != null && !secret.equals(request.header("mj-api-secret"))) {
			return Reply.json(401, "{\"code\":401,\"description\":\"mj-api-secret is wrong\"}");
		}
		String path = request.path();
		if ("POST".equals(request.method()) && path.equals("/mj/submit/imagine")) {
			return imagine(request.json());
		}
		if ("POST".equals(request.method()) && path.equals("/mj/submit/change")) {
			JsonNode body = request.json();
			String action = body.path("action").asText();
			if (!List.of("UPSCALE", "VARIATION", "REROLL").contains(action) || (!"REROLL".equals(action)
					&& (body.path("index").asInt(0) < 1 || body.path("index").asInt(0) > 4))) {
				return submitted(4, "参数错误", null);
			}
			return change(body, action);
		}
		if ("POST".equals(request.method()) && path.equals("/mj/submit/action")) {
			JsonNode body = request.json();
			String customId = body.path("customId").asText("");
			String action = customId.contains("::upsample::") ? "UPSCALE"
					: customId.contains("high_variation") || customId.contains("low_variation")
							|| customId.contains("::variation::") ? "VARIATION"
									: customId.contains("reroll") ? "REROLL" : null;
			if (action == null) {
				return submitted(4, "customId 错误", null);
			}
			return change(body, action);
		}
		if ("GET".equals(request.method()) && path.startsWith("/mj/task/") && path.endsWith("/fetch")) {
			Task task = tasks.get(path.substring("/mj/task/".length(), path.length() - "/fetch".length()));
			// the proxy answers an unknown id with an empty body
			return task == null
					? new Reply.Whole(200, Map.of("Content-Type", "application/json"), new byte[0], Duration.ZERO)
					: Reply.json(200, Json.write(view(task)));
		}
		if ("GET".equals(request.method()) && path.startsWith("/mj/images/")) {
			Task task = tasks.get(path.substring("/mj/images/".length()).replace(".png", ""));
			if (task == null) {
				return Reply.json(404, "{}");
			}
			long seed = Math.abs(task.id.hashCode() % 1000);
			byte[] png = "UPSCALE".equals(task.action) ? FakePictures.png(256, 256, seed)
					: FakePictures.grid(64, 64, seed);
			return new Reply.Whole(200, Map.of("Content-Type", "image/png"), png, Duration.ZERO);
		}
		return Reply.json(404, "{\"error\":\"Not Found\"}");
	}

	private Reply imagine(JsonNode body) {
		String prompt = body.path("prompt").asText("");
		if (prompt.isBlank()) {
			return submitted(4, "prompt不能为空", null);
		}
		if (prompt.contains("badword")) {
			ObjectNode answer = Json.object();
			answer.put("code", 24);
			answer.put("description", "可能包含敏感词");
			answer.putObject("properties").put("promptEn", prompt).put("bannedWord", "badword");
			return Reply.json(200, Json.write(answer));
		}
		if (queueFull) {
			return submitted(23, "队列已满，请稍后尝试", null);
		}
		return create("IMAGINE", prompt, body.path("notifyHook").asText(null));
	}

	private Reply change(JsonNode body, String action) {
		Task parent = tasks.get(body.path("taskId").asText(""));
		if (parent == null) {
			return submitted(3, "关联任务不存在或已失效", null);
		}
		if (queueFull) {
			return submitted(23, "队列已满，请稍后尝试", null);
		}
		return create(action, parent.prompt, body.path("notifyHook").asText(null));
	}

	private Reply create(String action, String prompt, String notifyHook) {
		Task task = new Task(Long.toString(ids.incrementAndGet()), action, prompt, notifyHook, workTime.toMillis());
		tasks.put(task.id, task);
		if (notifyHook != null) {
			scheduleHook(task);
		}
		return submitted(1, "提交成功", task.id);
	}

	private void scheduleHook(Task task) {
		long left = task.submitted + task.workMillis - System.currentTimeMillis();
		hooks.schedule(() -> {
			if (System.currentTimeMillis() < task.submitted + task.workMillis) {
				scheduleHook(task); // it was given more time
				return;
			}
			try {
				URI hook = URI.create(task.notifyHook);
				if (hookHost != null) {
					hook = URI.create(hookHost.toString() + hook.getRawPath() + "?" + hook.getRawQuery());
				}
				client.send(HttpRequest.newBuilder(hook)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(Json.write(view(task))))
					.build(), HttpResponse.BodyHandlers.discarding());
				hookCalls.add(task.id);
			}
			catch (Exception unreachable) {
				// the proxy logs and moves on
			}
		}, Math.max(0, left) + 20, TimeUnit.MILLISECONDS);
	}

	private static Reply submitted(int code, String description, String result) {
		ObjectNode answer = Json.object();
		answer.put("code", code);
		answer.put("description", description);
		if (result == null) {
			answer.putNull("result");
		}
		else {
			answer.put("result", result);
		}
		answer.putObject("properties").put("discordInstanceId", "1118138338562560102");
		return Reply.json(200, Json.write(answer));
	}

	private ObjectNode view(Task task) {
		long elapsed = System.currentTimeMillis() - task.submitted;
		ObjectNode node = Json.object();
		node.put("id", task.id);
		node.put("action", task.action);
		node.put("prompt", task.prompt);
		node.put("promptEn", task.prompt);
		node.put("submitTime", task.submitted);
		if (elapsed >= task.workMillis) {
			node.put("status", "SUCCESS");
			node.put("progress", "100%");
			node.put("startTime", task.submitted);
			node.put("finishTime", task.submitted + task.workMillis);
			node.put("imageUrl", uri() + "/mj/images/" + task.id + ".png");
			if (withButtons) {
				ArrayNode buttons = node.putArray("buttons");
				String hash = "b9f2" + task.id.substring(task.id.length() - 4);
				if ("UPSCALE".equals(task.action)) {
					buttons.addObject()
						.put("customId", "MJ::JOB::high_variation::1::" + hash + "::SOLO")
						.put("label", "Vary (Strong)")
						.put("emoji", "🪄");
					buttons.addObject()
						.put("customId", "MJ::JOB::low_variation::1::" + hash + "::SOLO")
						.put("label", "Vary (Subtle)")
						.put("emoji", "🪄");
				}
				else {
					for (int i = 1; i <= 4; i++) {
						buttons.addObject()
							.put("customId", "MJ::JOB::upsample::" + i + "::" + hash)
							.put("label", "U" + i)
							.put("emoji", "");
					}
					buttons.addObject()
						.put("customId", "MJ::JOB::reroll::0::" + hash + "::SOLO")
						.put("label", "")
						.put("emoji", "🔄");
					for (int i = 1; i <= 4; i++) {
						buttons.addObject()
							.put("customId", "MJ::JOB::variation::" + i + "::" + hash)
							.put("label", "V" + i)
							.put("emoji", "");
					}
				}
			}
		}
		else if (elapsed >= task.workMillis / 4) {
			node.put("status", "IN_PROGRESS");
			node.put("progress", Math.min(99, elapsed * 100 / Math.max(1, task.workMillis)) + "%");
			node.put("startTime", task.submitted + task.workMillis / 4);
		}
		else {
			node.put("status", "SUBMITTED");
			node.put("progress", "0%");
		}
		node.put("failReason", (String) null);
		return node;
	}

}
