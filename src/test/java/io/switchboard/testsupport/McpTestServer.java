package io.switchboard.testsupport;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;

/**
 * A real MCP server built with the official SDK's server side, for tests: over stdio (run
 * {@link #main} as its own process with the test class path) or over Streamable HTTP on
 * 127.0.0.1 ({@link #startHttp}), wanting an API key header there. Its tools: {@code add}
 * (two numbers), {@code secret_word} (a fixed word the model cannot know) and
 * {@code fail} (an error result), all three marked read-only; and {@code write_note},
 * which changes something (it keeps the note; {@link #notes()} tells what the HTTP server
 * kept).
 */
public final class McpTestServer implements AutoCloseable {

	public static final String SECRET_WORD = "periwinkle-7731";

	public static final String KEY_HEADER = "X-Api-Key";

	private static final McpSchema.ToolAnnotations READ_ONLY = new McpSchema.ToolAnnotations(null, true, false, true,
			false, null);

	/** The notes written to the servers of this process (the HTTP ones). */
	private static final java.util.List<String> NOTES = new java.util.concurrent.CopyOnWriteArrayList<>();

	private final Tomcat tomcat;

	private final McpSyncServer server;

	private McpTestServer(Tomcat tomcat, McpSyncServer server) {
		this.tomcat = tomcat;
		this.server = server;
	}

	/**
	 * The stdio server: protocol on the original stdout, anything logged goes to stderr.
	 */
	public static void main(String[] args) throws InterruptedException {
		PrintStream protocol = System.out;
		System.setOut(System.err);
		McpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
		McpSyncServer server = spec(McpServer.sync(new StdioServerTransportProvider(mapper, System.in, protocol)));
		Thread.currentThread().join();
		server.close();
	}

	/** The Streamable HTTP server at {@code http://127.0.0.1:<port>/mcp}. */
	public static McpTestServer startHttp(String apiKey) {
		McpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
		HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
			.jsonMapper(mapper)
			.mcpEndpoint("/mcp")
			.build();
		McpSyncServer server = spec(McpServer.sync(transport));
		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(System.getProperty("java.io.tmpdir") + "/mcp-test-tomcat-" + System.nanoTime());
		tomcat.getConnector().setProperty("address", "127.0.0.1");
		tomcat.setPort(0);
		Context context = tomcat.addContext("", null);
		HttpServlet guarded = new HttpServlet() {
			@Override
			protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
				if (!apiKey.equals(request.getHeader(KEY_HEADER))) {
					response.sendError(401, "missing or wrong " + KEY_HEADER);
					return;
				}
				try {
					transport.service(request, response);
				}
				catch (jakarta.servlet.ServletException failed) {
					throw new IOException(failed);
				}
			}
		};
		Tomcat.addServlet(context, "mcp", guarded).setAsyncSupported(true);
		context.addServletMappingDecoded("/mcp", "mcp");
		try {
			tomcat.start();
		}
		catch (LifecycleException failed) {
			throw new IllegalStateException(failed);
		}
		return new McpTestServer(tomcat, server);
	}

	/** The notes {@code write_note} kept in this process, in order. */
	public static java.util.List<String> notes() {
		return java.util.List.copyOf(NOTES);
	}

	public String url() {
		return "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/mcp";
	}

	private static McpSyncServer spec(McpServer.SyncSpecification<?> spec) {
		McpSchema.Tool add = McpSchema.Tool.builder()
			.name("add")
			.description("Adds two numbers")
			.inputSchema(Map.of("type", "object", "properties",
					Map.of("a", Map.of("type", "number"), "b", Map.of("type", "number")), "required",
					java.util.List.of("a", "b")))
			.annotations(READ_ONLY)
			.build();
		McpSchema.Tool secret = McpSchema.Tool.builder()
			.name("secret_word")
			.description("Tells the secret word")
			.inputSchema(Map.of("type", "object", "properties", Map.of()))
			.annotations(READ_ONLY)
			.build();
		McpSchema.Tool fail = McpSchema.Tool.builder()
			.name("fail")
			.description("Always fails")
			.inputSchema(Map.of("type", "object", "properties", Map.of()))
			.annotations(READ_ONLY)
			.build();
		McpSchema.Tool note = McpSchema.Tool.builder()
			.name("write_note")
			.description("Keeps a note")
			.inputSchema(Map.of("type", "object", "properties", Map.of("text", Map.of("type", "string")), "required",
					java.util.List.of("text")))
			.build();
		return spec.serverInfo("switchboard-test", "1")
			.capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
			.tools(new McpServerFeatures.SyncToolSpecification(add, (exchange, call) -> {
				double sum = ((Number) call.arguments().get("a")).doubleValue()
						+ ((Number) call.arguments().get("b")).doubleValue();
				return McpSchema.CallToolResult.builder()
					.addTextContent(sum == Math.rint(sum) ? Long.toString((long) sum) : Double.toString(sum))
					.build();
			}), new McpServerFeatures.SyncToolSpecification(secret,
					(exchange, call) -> McpSchema.CallToolResult.builder().addTextContent(SECRET_WORD).build()),
					new McpServerFeatures.SyncToolSpecification(fail,
							(exchange, call) -> McpSchema.CallToolResult.builder()
								.addTextContent("the server is out of ink")
								.isError(true)
								.build()),
					new McpServerFeatures.SyncToolSpecification(note, (exchange, call) -> {
						NOTES.add(String.valueOf(call.arguments().get("text")));
						return McpSchema.CallToolResult.builder().addTextContent("noted").build();
					}))
			.build();
	}

	@Override
	public void close() {
		server.close();
		try {
			tomcat.stop();
			tomcat.destroy();
		}
		catch (LifecycleException ignored) {
			// the test is over
		}
	}

}
