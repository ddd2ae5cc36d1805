package io.switchboard.image.provider;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import io.switchboard.image.JobKind;

/**
 * Draws locally with Java2D so the whole flow can be tried without any backend: abstract
 * shapes seeded from the prompt and seed, the prompt's words, and a "demo" label on every
 * image. It pretends to work for a while so progress can be seen; its task id holds the
 * start time, so a job survives a restart without any memory here.
 */
public final class DemoImageProvider implements ImageProvider {

	/** The largest side it draws, whatever size is asked. */
	static final int MAX_SIDE = 1024;

	private static final String PREFIX = "demo:";

	private final String name;

	private final Duration duration;

	private final Clock clock;

	public DemoImageProvider(String name, Duration duration, Clock clock) {
		this.name = name;
		this.duration = duration;
		this.clock = clock;
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public boolean demo() {
		return true;
	}

	@Override
	public ProviderUpdate submit(ProviderJob job) {
		return poll(job, PREFIX + clock.millis());
	}

	@Override
	public ProviderUpdate poll(ProviderJob job, String taskId) {
		if (taskId == null || !taskId.startsWith(PREFIX)) {
			throw new ImageProviderException.Lost("not a demo task: " + taskId);
		}
		long started;
		try {
			started = Long.parseLong(taskId.substring(PREFIX.length()));
		}
		catch (NumberFormatException broken) {
			throw new ImageProviderException.Lost("not a demo task: " + taskId);
		}
		long elapsed = clock.millis() - started;
		if (elapsed < duration.toMillis()) {
			return new ProviderUpdate.Working(taskId, (int) (elapsed * 100 / Math.max(1, duration.toMillis())));
		}
		return new ProviderUpdate.Done(draw(job), taskId, null);
	}

	List<byte[]> draw(ProviderJob job) {
		return switch (job.work()) {
			case UPSCALE -> List.of(upscale(job));
			case VARY_STRONG, VARY_SUBTLE -> vary(job, job.work() == JobKind.VARY_STRONG);
			default -> origin(job);
		};
	}

	private List<byte[]> origin(ProviderJob job) {
		int width = side(job.settings().width(), 512);
		int height = side(job.settings().height(), 512);
		List<byte[]> images = new ArrayList<>(4);
		for (int i = 1; i <= 4; i++) {
			Random random = new Random(seed(job, i));
			BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
			Graphics2D g = graphics(image);
			try {
				Color from = color(random, 255);
				Color to = color(random, 255);
				g.setPaint(new GradientPaint(0, 0, from, width, height, to));
				g.fillRect(0, 0, width, height);
				shapes(g, random, width, height, 14 + random.nextInt(10), 0.55f, 1.0);
				words(g, random, job.prompt(), width, height);
				label(g, width, height, "demo · candidate " + i);
			}
			finally {
				g.dispose();
			}
			images.add(Images.png(image));
		}
		return images;
	}

	private List<byte[]> vary(ProviderJob job, boolean strong) {
		BufferedImage source = Images.toRgb(Images.read(job.sourceImage()));
		// new candidates come at the job's size, whatever the size of the image varied
		int width = side(job.settings().width(), source.getWidth());
		int height = side(job.settings().height(), source.getHeight());
		List<byte[]> images = new ArrayList<>(4);
		for (int i = 1; i <= 4; i++) {
			Random random = new Random(seed(job, i));
			BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
			Graphics2D g = graphics(image);
			try {
				if (strong) {
					// a blurred memory of the source under bold new shapes
					int small = Math.max(4, Math.min(width, height) / 24);
					BufferedImage tiny = new BufferedImage(small, small, BufferedImage.TYPE_INT_RGB);
					Graphics2D t = graphics(tiny);
					t.drawImage(source, 0, 0, small, small, null);
					t.dispose();
					g.drawImage(tiny, 0, 0, width, height, null);
					shapes(g, random, width, height, 10 + random.nextInt(6), 0.6f, 1.0);
					words(g, random, job.prompt(), width, height);
				}
				else {
					// the source nearly as it was, a little shifted, with a few small
					// touches
					// drawn a little larger than the frame, so the shift shows no edge
					double dx = (random.nextDouble() - 0.5) * width * 0.03;
					double dy = (random.nextDouble() - 0.5) * height * 0.03;
					g.drawImage(source, (int) (dx - width * 0.02), (int) (dy - height * 0.02), (int) (width * 1.04),
							(int) (height * 1.04), null);
					shapes(g, random, width, height, 3 + random.nextInt(3), 0.35f, 0.4);
				}
				label(g, width, height, "demo · " + (strong ? "vary (strong) " : "vary (subtle) ") + i);
			}
			finally {
				g.dispose();
			}
			images.add(Images.png(image));
		}
		return images;
	}

	private byte[] upscale(ProviderJob job) {
		BufferedImage source = Images.read(job.sourceImage());
		int factor = Math.max(1, Math.min(2, MAX_SIDE * 2 / Math.max(source.getWidth(), source.getHeight())));
		BufferedImage large = Images.read(Images.enlarge(job.sourceImage(), factor));
		Graphics2D g = graphics(large);
		try {
			label(g, large.getWidth(), large.getHeight(), "demo · upscaled x" + factor);
		}
		finally {
			g.dispose();
		}
		return Images.png(large);
	}

	private static long seed(ProviderJob job, int candidate) {
		long seed = job.settings().seed() == null ? 0 : job.settings().seed();
		return job.prompt().hashCode() * 1_000_003L ^ seed * 31 ^ candidate * 7919L ^ job.work().ordinal() * 104_729L;
	}

	private static int side(Integer asked, int fallback) {
		return Math.max(64, Math.min(MAX_SIDE, asked == null ? fallback : asked));
	}

	private static Graphics2D graphics(BufferedImage image) {
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
		return g;
	}

	private static Color color(Random random, int alpha) {
		float hue = random.nextFloat();
		Color rgb = Color.getHSBColor(hue, 0.45f + random.nextFloat() * 0.5f, 0.55f + random.nextFloat() * 0.45f);
		return new Color(rgb.getRed(), rgb.getGreen(), rgb.getBlue(), alpha);
	}

	private static void shapes(Graphics2D g, Random random, int width, int height, int count, float opacity,
			double sizeScale) {
		int unit = Math.min(width, height);
		g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, opacity));
		for (int i = 0; i < count; i++) {
			g.setColor(color(random, 255));
			int size = (int) ((unit / 12 + random.nextInt(Math.max(1, unit / 3))) * sizeScale) + 2;
			int x = random.nextInt(width) - size / 2;
			int y = random.nextInt(height) - size / 2;
			switch (random.nextInt(4)) {
				case 0 -> g.fillOval(x, y, size, size);
				case 1 -> g.fillRect(x, y, size, (int) (size * (0.4 + random.nextDouble())));
				case 2 -> {
					Polygon triangle = new Polygon();
					for (int corner = 0; corner < 3; corner++) {
						triangle.addPoint(x + random.nextInt(size), y + random.nextInt(size));
					}
					g.fillPolygon(triangle);
				}
				default -> {
					g.setStroke(new BasicStroke(Math.max(2, unit / 60f)));
					g.drawArc(x, y, size, size, random.nextInt(360), 90 + random.nextInt(200));
				}
			}
		}
		g.setComposite(AlphaComposite.SrcOver);
	}

	private static void words(Graphics2D g, Random random, String prompt, int width, int height) {
		// the prompt's meaningful words, each once, in an order of this candidate's own
		List<String> words = new ArrayList<>(
				new java.util.LinkedHashSet<>(List.of(prompt.strip().split("[\\s,.;:!?]+"))));
		List<String> longer = words.stream().filter(word -> word.codePointCount(0, word.length()) > 2).toList();
		if (!longer.isEmpty()) {
			words = new ArrayList<>(longer);
		}
		java.util.Collections.shuffle(words, random);
		int unit = Math.min(width, height);
		for (String word : words.subList(0, Math.min(words.size(), 4))) {
			if (word.length() > 24) {
				word = word.substring(0, 24);
			}
			g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, unit / 14 + random.nextInt(Math.max(1, unit / 14))));
			FontMetrics metrics = g.getFontMetrics();
			int x = random.nextInt(Math.max(1, width - metrics.stringWidth(word)));
			int y = metrics.getAscent() + random.nextInt(Math.max(1, height - metrics.getHeight() - unit / 10));
			g.setColor(new Color(0, 0, 0, 110));
			g.drawString(word, x + 2, y + 2);
			g.setColor(new Color(255, 255, 255, 230));
			g.drawString(word, x, y);
		}
	}

	/** The band that says, on every demo image, that no real model drew it. */
	private static void label(Graphics2D g, int width, int height, String text) {
		int band = Math.max(16, Math.min(width, height) / 14);
		g.setComposite(AlphaComposite.SrcOver);
		g.setColor(new Color(0, 0, 0, 165));
		g.fillRect(0, height - band, width, band);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, (int) (band * 0.6)));
		FontMetrics metrics = g.getFontMetrics();
		g.setColor(new Color(255, 214, 10));
		g.drawString("DEMO", band / 3, height - band + (band - metrics.getHeight()) / 2 + metrics.getAscent());
		g.setColor(Color.WHITE);
		String rest = text.toUpperCase(Locale.ROOT).startsWith("DEMO") ? text.substring(4) : " " + text;
		g.drawString(rest, band / 3 + metrics.stringWidth("DEMO"),
				height - band + (band - metrics.getHeight()) / 2 + metrics.getAscent());
	}

}
