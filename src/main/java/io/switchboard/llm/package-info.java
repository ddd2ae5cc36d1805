/**
 * Language models: the configured model catalog, a small provider interface for chat and
 * streaming chat with text and image parts, and one adapter per vendor protocol.
 */
@org.springframework.modulith.ApplicationModule(displayName = "LLM providers")
package io.switchboard.llm;
