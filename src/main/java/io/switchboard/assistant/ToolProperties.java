package io.switchboard.assistant;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Tools models may use while answering: the loop's limits, the built-in tools, and the
 * MCP servers an admin configured.
 *
 * @param enabled whether models are offered tools at all
 * @param maxRounds rounds of tool calls in one answer; after the last the model must
 * answer in words
 * @param maxTime the longest an answer may spend calling tools before it must answer
 * @param toolTimeout the longest one tool call may take
 * @param maxResultChars a tool's result is cut to this many characters for the model
 * @param disabled built-in tools switched off, by name
 * @param modelsWithoutTools models never offered tools (they do not support them)
 * @param timeZone the zone of the date-and-time tool when the model names none
 * @param fetch limits of the web page tool
 * @param mcp MCP servers by name
 * @param mcpStartTimeout the longest an MCP server may take to start (a stdio program)
 * and answer its first request
 * @param confirm tools, by the name the model sees, that run only after the user said yes
 * with a button (an MCP server's tools also by its {@code confirm} setting)
 * @param confirmTimeout how long such a question may be answered
 */
@Validated
@ConfigurationProperties("switchboard.tools")
public record ToolProperties(@DefaultValue("true") boolean enabled, @DefaultValue("5") @Min(1) @Max(50) int maxRounds,
		@DefaultValue("120s") Duration maxTime, @DefaultValue("30s") Duration toolTimeout,
		@DefaultValue("8000") @Min(100) int maxResultChars, @DefaultValue("") List<String> disabled,
		@DefaultValue("") List<String> modelsWithoutTools, ZoneId timeZone, @Valid @DefaultValue Fetch fetch,
		@Valid Map<String, McpServer> mcp, @DefaultValue("60s") Duration mcpStartTimeout,
		@DefaultValue("") List<String> confirm, @DefaultValue("30m") Duration confirmTimeout) {

	public ToolProperties {
		disabled = disabled == null ? List.of() : disabled.stream().filter(s -> !s.isBlank()).toList();
		modelsWithoutTools = modelsWithoutTools == null ? List.of()
				: modelsWithoutTools.stream().filter(s -> !s.isBlank()).toList();
		timeZone = timeZone == null ? ZoneId.systemDefault() : timeZone;
		fetch = fetch == null ? new Fetch(false, DataSize.ofMegabytes(2), Duration.ofSeconds(10), 5, List.of()) : fetch;
		mcp = mcp == null ? Map.of() : Map.copyOf(mcp);
		mcpStartTimeout = mcpStartTimeout == null ? Duration.ofSeconds(60) : mcpStartTimeout;
		confirm = confirm == null ? List.of() : confirm.stream().filter(s -> !s.isBlank()).toList();
		confirmTimeout = confirmTimeout == null ? Duration.ofMinutes(30) : confirmTimeout;
		if (maxTime.isNegative() || maxTime.isZero() || toolTimeout.isNegative() || toolTimeout.isZero()) {
			throw new IllegalArgumentException("switchboard.tools.max-time and tool-timeout must be positive");
		}
	}

	public boolean isEnabled(String tool) {
		return !disabled.contains(tool);
	}

	/**
	 * The web page tool.
	 *
	 * @param allowPrivate whether it may fetch loopback, private and link-local addresses
	 * (a page on the server's own network); off, it refuses them, redirects included
	 * @param maxBytes the most it reads of a page
	 * @param timeout the longest a fetch may take, redirects included
	 * @param maxRedirects redirects followed, each checked again
	 * @param allowHosts host names it may fetch even when they resolve to private
	 * addresses (an intranet wiki); a redirect elsewhere is checked as usual
	 */
	public record Fetch(@DefaultValue("false") boolean allowPrivate, @DefaultValue("2MB") DataSize maxBytes,
			@DefaultValue("10s") Duration timeout, @DefaultValue("5") @Min(0) @Max(20) int maxRedirects,
			@DefaultValue("") List<String> allowHosts) {

		public Fetch {
			allowHosts = allowHosts == null ? List.of()
					: allowHosts.stream().filter(s -> !s.isBlank()).map(String::toLowerCase).toList();
		}

	}

	/**
	 * Which tools of an MCP server ask the user before they run. A server's own word on a
	 * tool is a hint it may get wrong; only the admin can trust it further.
	 */
	public enum Confirm {

		/** Every tool: a server the admin does not trust. */
		ALWAYS,
		/**
		 * Every tool the server does not mark read-only ({@code readOnlyHint}): as the
		 * MCP specification says, a tool without that mark may change things.
		 */
		SIDE_EFFECTS,
		/** None: a server the admin trusts with everything its tools do. */
		NEVER

	}

	/**
	 * An MCP server: a command run over stdio, or a Streamable HTTP URL.
	 *
	 * @param command the program and its arguments (stdio)
	 * @param env environment variables for the program (its keys)
	 * @param url the server's endpoint (Streamable HTTP)
	 * @param headers HTTP headers sent with every request (its keys)
	 * @param users whether users may turn it on for their sessions
	 * @param enabledByDefault whether sessions use it until they turn it off
	 * @param description a line for {@code /session tools}
	 * @param confirm which of its tools ask the user before they run
	 */
	public record McpServer(List<String> command, Map<String, String> env, java.net.URI url,
			Map<String, String> headers, @DefaultValue("true") boolean users,
			@DefaultValue("false") boolean enabledByDefault, String description,
			@DefaultValue("side-effects") Confirm confirm) {

		public McpServer {
			confirm = confirm == null ? Confirm.SIDE_EFFECTS : confirm;
			command = command == null ? List.of() : List.copyOf(command);
			env = env == null ? Map.of() : Map.copyOf(env);
			headers = headers == null ? Map.of() : Map.copyOf(headers);
			if (command.isEmpty() == (url == null)) {
				throw new IllegalArgumentException(
						"an MCP server needs either a command (stdio) or a url (Streamable HTTP), not both or neither");
			}
		}

	}

}
