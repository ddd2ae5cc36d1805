/**
 * Tools models may use while they answer: the built-in ones (a web page as text, fetched
 * safely; the date and time) and the tools of MCP servers an admin configured, offered
 * per session.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Tools and MCP")
package io.switchboard.tool;
