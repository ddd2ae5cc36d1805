/**
 * History: full-text search across all of a person's conversations from every platform
 * (each database's own engine), and exports of a session or of everything as Markdown and
 * JSONL; both also as the shared commands {@code /search} and {@code /export}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "History")
package io.switchboard.history;
