package io.switchboard.history;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.switchboard.assistant.AssistantTool;
import io.switchboard.assistant.ToolArguments;
import io.switchboard.assistant.ToolContext;
import io.switchboard.assistant.ToolOutcome;
import io.switchboard.assistant.ToolProperties;
import io.switchboard.assistant.ToolSource;
import io.switchboard.llm.ToolSpec;

import org.springframework.stereotype.Component;

/**
 * {@code search_conversations}: "what did we say about the tea recipe last month?"
 * answered from the asker's own history, with the same search as {@code /search}. Only
 * the sessions the asking user owns are searched, whoever else is in the chat: a model in
 * a group never reads another member's conversations through it.
 */
@Component
class SearchTool implements AssistantTool, ToolSource {

	static final String NAME = "search_conversations";

	/** Hits given to the model at most: enough to answer, few enough to stay short. */
	static final int MAX_HITS = 10;

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

	private static final ToolSpec SPEC = new ToolSpec(NAME,
			"Search the user's own earlier conversations (every platform, every session) for messages that contain "
					+ "all the given words. Use it when the user refers to something said before that is not in "
					+ "this conversation.",
			"""
					{"type":"object","properties":{
					"query":{"type":"string","description":"a few words that the messages must contain"},
					"limit":{"type":"integer","description":"how many matches, 1 to 10; 5 when left out"}},
					"required":["query"]}""");

	private final MessageSearch search;

	private final ToolProperties properties;

	SearchTool(MessageSearch search, ToolProperties properties) {
		this.search = search;
		this.properties = properties;
	}

	@Override
	public List<AssistantTool> tools(ToolContext context) {
		return unlessDisabled(properties);
	}

	@Override
	public ToolSpec spec() {
		return SPEC;
	}

	@Override
	public ToolOutcome run(String arguments, ToolContext context) {
		ToolArguments args = ToolArguments.read(arguments);
		String query = args.required("query", "Give the words to look for as \"query\".");
		int limit = Math.clamp(args.number("limit", 5), 1, MAX_HITS);
		if (context.user() == null) {
			throw new ToolFailure("This conversation has no known user whose history could be searched.");
		}
		List<SearchHit> hits;
		try {
			// one more, since the question being answered matches its own words
			hits = search.search(context.user().id(), query, limit + 1, 0)
				.stream()
				.filter(hit -> hit.messageId() != context.question())
				.limit(limit)
				.toList();
		}
		catch (MessageSearch.BadSearch bad) {
			throw new ToolFailure(bad.getMessage());
		}
		if (hits.isEmpty()) {
			return new ToolOutcome("No message in the user's conversations contains all of: " + query + ".",
					"nothing found for “" + query + "”", null);
		}
		StringBuilder text = new StringBuilder("Matches in the user's conversations, best first:\n");
		for (SearchHit hit : hits) {
			text.append("\n- session #")
				.append(hit.session().value())
				.append(" \"")
				.append(hit.sessionTitle())
				.append("\" (")
				.append(hit.platform())
				.append(", ")
				.append(DAY.format(hit.at()))
				.append(", ")
				.append("user".equals(hit.role()) ? "the user wrote" : "the assistant answered")
				.append("): ")
				.append(hit.snippetMarkdown());
		}
		return new ToolOutcome(text.toString(),
				hits.size() + (hits.size() == 1 ? " match" : " matches") + " for “" + query + "”", null);
	}

}
