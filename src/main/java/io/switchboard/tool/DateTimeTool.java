package io.switchboard.tool;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
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
 * {@code current_time}: models know no date. The zone is the one the model names (from
 * what the user said) or the configured one.
 */
@Component
class DateTimeTool implements AssistantTool, ToolSource {

	static final String NAME = "current_time";

	private static final ToolSpec SPEC = new ToolSpec(NAME,
			"The current date, time and weekday. Pass the user's IANA time zone (e.g. Asia/Tokyo) when known.", """
					{"type":"object","properties":{"time_zone":{"type":"string",
					"description":"IANA time zone, e.g. Europe/Berlin; the server's zone when left out"}}}""");

	private final Clock clock;

	private final ToolProperties properties;

	DateTimeTool(Clock clock, ToolProperties properties) {
		this.clock = clock;
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
		ZoneId zone = properties.timeZone();
		String asked = ToolArguments.read(arguments).text("time_zone");
		if (!asked.isEmpty()) {
			try {
				zone = ZoneId.of(asked);
			}
			catch (DateTimeException unknown) {
				throw new ToolFailure("Unknown time zone '" + asked + "': use an IANA name such as Europe/Berlin.");
			}
		}
		ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
		String text = now.format(DateTimeFormatter.ofPattern("EEEE, yyyy-MM-dd HH:mm:ss")) + " (" + zone.getId()
				+ ", UTC" + now.getOffset().getId().replace("Z", "+00:00") + ")";
		return new ToolOutcome(text, text, null);
	}

}
