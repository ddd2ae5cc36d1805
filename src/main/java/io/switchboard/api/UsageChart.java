package io.switchboard.api;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A bar chart of one measure per day, laid out here and drawn by the page as inline SVG:
 * no script, nothing to build, and nothing the page's Content Security Policy forbids.
 */
record UsageChart(int width, int height, List<Bar> bars, String maxLabel, String firstDay, String lastDay) {

	static final int WIDTH = 720;

	static final int HEIGHT = 180;

	private static final int TOP = 10;

	/** One day's value. */
	record Day(LocalDate day, long value) {
	}

	/** One bar, in SVG user units, with its tooltip. */
	record Bar(double x, double y, double width, double height, String title) {
	}

	static UsageChart of(List<Day> days, boolean money) {
		long max = days.stream().mapToLong(Day::value).max().orElse(0);
		double slot = (double) WIDTH / Math.max(1, days.size());
		double barWidth = Math.max(1, slot * 0.8);
		List<Bar> bars = new ArrayList<>();
		for (int i = 0; i < days.size(); i++) {
			Day day = days.get(i);
			double height = max == 0 ? 0 : (HEIGHT - TOP) * (double) day.value() / max;
			bars.add(new Bar(round(i * slot + (slot - barWidth) / 2), round(HEIGHT - height), round(barWidth),
					round(height), day.day() + ": " + label(day.value(), money)));
		}
		return new UsageChart(WIDTH, HEIGHT, bars, label(max, money),
				days.isEmpty() ? "" : days.getFirst().day().toString(),
				days.isEmpty() ? "" : days.getLast().day().toString());
	}

	private static String label(long value, boolean money) {
		return money ? "$" + KeyLimits.dollars(value) : Long.toString(value);
	}

	private static double round(double value) {
		return Math.round(value * 10) / 10.0;
	}

}
