package io.switchboard.image.provider;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.switchboard.image.ImageSettings;
import io.switchboard.image.JobKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The demo provider draws locally, labels every image, repeats itself for the same prompt
 * and seed, and keeps no memory of its tasks (so a restart loses nothing).
 */
class DemoImageProviderTest {

	static final ImageSettings SETTINGS = new ImageSettings("demo", null, 320, 240, 42L, null, null, null);

	static ProviderJob job(JobKind work, byte[] source) {
		return new ProviderJob(1, work, work, "a red lighthouse on a cliff", null, SETTINGS, source == null ? null : 1,
				null, source == null ? null : () -> source);
	}

	static boolean hasDemoYellow(BufferedImage image) {
		for (int y = image.getHeight() - image.getHeight() / 14; y < image.getHeight(); y++) {
			for (int x = 0; x < image.getWidth() / 4; x++) {
				if ((image.getRGB(x, y) & 0xFFFFFF) == 0xFFD60A) {
					return true;
				}
			}
		}
		return false;
	}

	@Test
	void itPretendsToWorkThenDrawsFourLabelledCandidatesTheSameWayEachTime() throws Exception {
		Instant start = Instant.parse("2026-01-01T00:00:00Z");
		DemoImageProvider demo = new DemoImageProvider("demo", Duration.ofSeconds(2),
				Clock.fixed(start, ZoneOffset.UTC));
		ProviderUpdate first = demo.submit(job(JobKind.ORIGIN, null));
		assertThat(first).isInstanceOf(ProviderUpdate.Working.class);
		String task = ((ProviderUpdate.Working) first).taskId();
		assertThat(task).isEqualTo("demo:" + start.toEpochMilli());

		// a later process (another instance, a later clock) finishes the same task
		DemoImageProvider later = new DemoImageProvider("demo", Duration.ofSeconds(2),
				Clock.fixed(start.plusSeconds(1), ZoneOffset.UTC));
		assertThat(((ProviderUpdate.Working) later.poll(job(JobKind.ORIGIN, null), task)).progress()).isEqualTo(50);
		DemoImageProvider done = new DemoImageProvider("demo", Duration.ofSeconds(2),
				Clock.fixed(start.plusSeconds(3), ZoneOffset.UTC));
		List<byte[]> images = ((ProviderUpdate.Done) done.poll(job(JobKind.ORIGIN, null), task)).images();
		assertThat(images).hasSize(4);
		for (byte[] image : images) {
			BufferedImage picture = Images.read(image);
			assertThat(picture.getWidth()).isEqualTo(320);
			assertThat(picture.getHeight()).isEqualTo(240);
			assertThat(hasDemoYellow(picture)).as("the DEMO label").isTrue();
		}
		assertThat(((ProviderUpdate.Done) done.poll(job(JobKind.ORIGIN, null), task)).images().get(2))
			.isEqualTo(images.get(2));

		byte[] upscaled = done.draw(job(JobKind.UPSCALE, images.getFirst())).getFirst();
		assertThat(Images.read(upscaled).getWidth()).isEqualTo(640);
		List<byte[]> subtle = done.draw(job(JobKind.VARY_SUBTLE, upscaled));
		List<byte[]> strong = done.draw(job(JobKind.VARY_STRONG, upscaled));
		assertThat(subtle).hasSize(4);
		assertThat(strong).hasSize(4);

		Path out = Path.of("target/screenshots");
		Files.createDirectories(out);
		Files.write(out.resolve("demo-grid.png"), Images.grid(images));
		Files.write(out.resolve("demo-subtle-grid.png"), Images.grid(subtle));
		Files.write(out.resolve("demo-strong-grid.png"), Images.grid(strong));

		assertThatThrownBy(() -> done.poll(job(JobKind.ORIGIN, null), "sd-1234"))
			.isInstanceOf(ImageProviderException.Lost.class);
	}

	@Test
	void aGridSplitsBackIntoItsQuadrantsInOrder() {
		DemoImageProvider demo = new DemoImageProvider("demo", Duration.ZERO, Clock.systemUTC());
		List<byte[]> images = demo.draw(job(JobKind.ORIGIN, null));
		List<byte[]> quadrants = Images.quadrants(Images.grid(images));
		for (int i = 0; i < 4; i++) {
			BufferedImage quadrant = Images.read(quadrants.get(i));
			BufferedImage original = Images.read(images.get(i));
			// away from the numbered corner, the pixels are the candidate's
			assertThat(quadrant.getRGB(200, 150)).isEqualTo(original.getRGB(200, 150));
		}
	}

}
