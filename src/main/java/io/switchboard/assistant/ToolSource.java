package io.switchboard.assistant;

import java.util.List;

/**
 * Offers tools for a turn: the built-in ones as settings allow, an MCP server's as the
 * session enables it. Register one as a bean; the assistant asks each source at the start
 * of every turn whose model takes tools.
 */
public interface ToolSource {

	List<AssistantTool> tools(ToolContext context);

}
