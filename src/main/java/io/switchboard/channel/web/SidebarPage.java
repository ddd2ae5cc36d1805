package io.switchboard.channel.web;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.switchboard.conversation.Session;
import io.switchboard.conversation.UserId;

/**
 * One page of the session list: newest first, under date headings (UTC days: Today,
 * Yesterday, Previous 7 days, Previous 30 days, then by month), each with the platform it
 * came from.
 *
 * @param rows the sessions, a heading before the first of each group
 * @param nextPage the page after this one, or {@code null} when this is the last
 * @param lastGroup the heading of this page's last row, so the next page does not repeat
 * it
 */
record SidebarPage(List<Row> rows, Integer nextPage, String lastGroup) {

	/** A session in the list; {@code heading} is non-null on the first of its group. */
	record Row(String heading, Session session, String platform, boolean owned) {
	}

	static SidebarPage of(List<Session> sessions, int page, int pageSize, String previousGroup, UserId viewer,
			LocalDate today) {
		boolean more = sessions.size() > pageSize;
		List<Row> rows = new ArrayList<>(Math.min(sessions.size(), pageSize));
		String group = previousGroup;
		for (Session session : sessions.subList(0, Math.min(sessions.size(), pageSize))) {
			String heading = group(session.updatedAt().atZone(ZoneOffset.UTC).toLocalDate(), today);
			rows.add(new Row(heading.equals(group) ? null : heading, session, platform(session.origin().platform()),
					session.isOwnedBy(viewer)));
			group = heading;
		}
		return new SidebarPage(rows, more ? page + 1 : null, group);
	}

	static String group(LocalDate day, LocalDate today) {
		if (!day.isBefore(today)) {
			return "Today";
		}
		if (day.equals(today.minusDays(1))) {
			return "Yesterday";
		}
		if (day.isAfter(today.minusDays(8))) {
			return "Previous 7 days";
		}
		if (day.isAfter(today.minusDays(31))) {
			return "Previous 30 days";
		}
		return day.getMonth().getDisplayName(java.time.format.TextStyle.FULL, Locale.ENGLISH) + " " + day.getYear();
	}

	/** The platform's name as people know it. */
	static String platform(String platform) {
		return switch (platform) {
			case "web" -> "Web";
			case "line" -> "LINE";
			case "discord" -> "Discord";
			case "slack" -> "Slack";
			case "api" -> "API";
			default -> platform;
		};
	}

}
