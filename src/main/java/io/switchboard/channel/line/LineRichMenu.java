package io.switchboard.channel.line;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import javax.imageio.ImageIO;

import com.linecorp.bot.client.base.UploadFile;
import com.linecorp.bot.messaging.client.MessagingApiBlobClient;
import com.linecorp.bot.messaging.client.MessagingApiClient;
import com.linecorp.bot.messaging.model.RichMenuArea;
import com.linecorp.bot.messaging.model.RichMenuBounds;
import com.linecorp.bot.messaging.model.RichMenuRequest;
import com.linecorp.bot.messaging.model.RichMenuSize;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The rich menu under the chat's input box: chat mode, image mode, new topic, help. Each
 * area posts its command back like a quick reply. Installed by an admin with
 * {@code /richmenu}, or at start-up with {@code switchboard.line.install-rich-menu}.
 */
@Component
@ConditionalOnLineChannel
class LineRichMenu {

	static final int WIDTH = 2500;

	static final int HEIGHT = 843;

	/** The areas, left to right: label, command, colour. */
	static final List<Button> BUTTONS = List.of(new Button("Chat", "/mode chat", new Color(0x06C755)),
			new Button("Image", "/mode image", new Color(0x3B82F6)),
			new Button("New topic", "/new", new Color(0xF59E0B)), new Button("Help", "/help", new Color(0x6B7280)));

	private static final Logger log = LoggerFactory.getLogger(LineRichMenu.class);

	private final MessagingApiClient api;

	private final MessagingApiBlobClient blobs;

	private final LineProperties properties;

	LineRichMenu(MessagingApiClient api, MessagingApiBlobClient blobs, LineProperties properties) {
		this.api = api;
		this.blobs = blobs;
		this.properties = properties;
	}

	record Button(String label, String command, Color colour) {
	}

	@EventListener(ApplicationReadyEvent.class)
	void installAtStartUp() {
		if (!properties.installRichMenu()) {
			return;
		}
		try {
			log.info("installed the LINE rich menu {} as the default", install());
		}
		catch (RuntimeException failed) {
			// the bot works without its menu: say so and go on
			log.warn("could not install the LINE rich menu: {}", failed.getMessage());
		}
	}

	/**
	 * Creates the rich menu, uploads its picture and makes it every user's default.
	 * @return the rich menu's id
	 */
	String install() {
		List<RichMenuArea> areas = new ArrayList<>();
		long width = WIDTH / BUTTONS.size();
		for (int i = 0; i < BUTTONS.size(); i++) {
			Button button = BUTTONS.get(i);
			areas.add(new RichMenuArea(new RichMenuBounds(i * width, 0L, width, (long) HEIGHT),
					LineMessages.postback(button.label(), button.command())));
		}
		RichMenuRequest menu = new RichMenuRequest(new RichMenuSize((long) WIDTH, (long) HEIGHT), true, "Switchboard",
				"Menu", areas);
		String id = call(api.createRichMenu(menu)).body().richMenuId();
		call(blobs.setRichMenuImage(id, UploadFile.fromByteArray(picture(), "image/png")));
		call(api.setDefaultRichMenu(id));
		return id;
	}

	/** The menu's picture: four coloured tiles with an icon and a label each. */
	static byte[] picture() {
		BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
			g.setColor(Color.WHITE);
			g.fillRect(0, 0, WIDTH, HEIGHT);
			int tile = WIDTH / BUTTONS.size();
			for (int i = 0; i < BUTTONS.size(); i++) {
				Button button = BUTTONS.get(i);
				int x = i * tile;
				g.setColor(button.colour());
				g.fill(new RoundRectangle2D.Float(x + 20, 20, tile - 40, HEIGHT - 40, 60, 60));
				g.setColor(Color.WHITE);
				g.setStroke(new BasicStroke(18, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
				icon(g, i, x + tile / 2, 300, button.colour());
				label(g, button.label(), x + tile / 2, 640, tile - 120);
			}
		}
		finally {
			g.dispose();
		}
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		try {
			ImageIO.write(image, "png", png);
		}
		catch (IOException impossible) {
			throw new UncheckedIOException(impossible);
		}
		return png.toByteArray();
	}

	/** A simple line drawing: a speech bubble, a picture, a plus, a question mark. */
	private static void icon(Graphics2D g, int which, int cx, int cy, Color background) {
		switch (which) {
			case 0 -> {
				g.drawRoundRect(cx - 150, cy - 110, 300, 190, 70, 70);
				// open the bubble's edge where the tail leaves it
				g.setColor(background);
				g.fillRect(cx - 66, cy + 70, 52, 20);
				g.setColor(Color.WHITE);
				g.drawLine(cx - 70, cy + 80, cx - 110, cy + 150);
				g.drawLine(cx - 110, cy + 150, cx - 10, cy + 80);
			}
			case 1 -> {
				g.drawRect(cx - 150, cy - 120, 300, 240);
				g.drawOval(cx + 40, cy - 80, 60, 60);
				g.drawPolyline(new int[] { cx - 130, cx - 40, cx + 20, cx + 60, cx + 130 },
						new int[] { cy + 100, cy - 20, cy + 60, cy + 20, cy + 100 }, 5);
			}
			case 2 -> {
				g.drawOval(cx - 130, cy - 130, 260, 260);
				g.drawLine(cx, cy - 70, cx, cy + 70);
				g.drawLine(cx - 70, cy, cx + 70, cy);
			}
			default -> {
				g.drawOval(cx - 130, cy - 130, 260, 260);
				g.drawArc(cx - 50, cy - 80, 100, 90, 150, -240);
				g.drawLine(cx, cy + 10, cx, cy + 40);
				g.fillOval(cx - 12, cy + 70, 24, 24);
			}
		}
	}

	private static void label(Graphics2D g, String text, int cx, int baseline, int maxWidth) {
		try {
			int size = 110;
			g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
			while (g.getFontMetrics().stringWidth(text) > maxWidth && size > 40) {
				size -= 6;
				g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
			}
			FontMetrics metrics = g.getFontMetrics();
			g.drawString(text, cx - metrics.stringWidth(text) / 2, baseline);
		}
		catch (RuntimeException | Error noFonts) {
			// a server without any font still gets a menu: icons without labels
			log.warn("no font to draw the rich menu's labels: {}", noFonts.toString());
		}
	}

	private static <T> T call(CompletableFuture<T> future) {
		try {
			return future.get();
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while installing the rich menu", interrupted);
		}
		catch (ExecutionException failed) {
			throw new IllegalStateException("LINE refused the rich menu: " + failed.getCause().getMessage(),
					failed.getCause());
		}
	}

}
