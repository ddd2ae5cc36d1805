/**
 * The assistant: the one front door for every channel's messages. It runs the text
 * commands every platform shares, and turns a chat message into a model call: it
 * assembles the context within the model's window, streams the answer out as events, and
 * records answer, tokens and cost.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Assistant")
package io.switchboard.assistant;
