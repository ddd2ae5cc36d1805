package io.switchboard.comic;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.switchboard.SwitchboardApplication;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.fakes.FakeSdWebUi;
import io.switchboard.image.ImageJobs;
import io.switchboard.image.ImageOrigin;
import io.switchboard.image.JobState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code /comic} run survives a restart: the application stops while the first panel is
 * being drawn, a new one starts on the same SQLite file, and the comic is finished
 * without being started again: the story and prompts are not asked for twice, and the
 * panels are drawn by the next process.
 */
class ComicRestartTest {

	static final FakeOpenAi openai = FakeOpenAi.start("sk-comic-restart");

	static final FakeSdWebUi sd = FakeSdWebUi.start();

	@TempDir
	Path data;

	@AfterAll
	static void stopFakes() {
		openai.close();
		sd.close();
	}

	ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(SwitchboardApplication.class).web(WebApplicationType.SERVLET)
			.run("--spring.profiles.active=test",
					"--spring.datasource.url=jdbc:sqlite:" + data.resolve("switchboard.db")
							+ "?journal_mode=WAL&busy_timeout=10000&foreign_keys=true&transaction_mode=IMMEDIATE",
					"--server.port=0", "--spring.main.banner-mode=off", "--db-scheduler.polling-interval=100ms",
					"--switchboard.comic.run-poll-interval=200ms",
					"--switchboard.llm.providers.fake-openai.type=openai",
					"--switchboard.llm.providers.fake-openai.base-url=" + openai.baseUrl(),
					"--switchboard.llm.providers.fake-openai.api-key=" + openai.apiKey(),
					"--switchboard.llm.models.gpt-test.provider=fake-openai",
					"--switchboard.llm.models.gpt-test.upstream-model=gpt-4o-mini",
					"--switchboard.llm.models.gpt-test.context-window=32000", "--switchboard.image.default-provider=sd",
					"--switchboard.image.providers.sd.type=sd-webui",
					"--switchboard.image.providers.sd.base-url=" + sd.uri(),
					"--switchboard.image.providers.sd.poll-interval=200ms");
	}

	@Test
	void aComicUnderWayWhenTheApplicationStopsIsFinishedByTheNextOne() {
		sd.drawTime(Duration.ofSeconds(60));
		openai.replyNext(ComicScripts.STORY, ComicScripts.PROMPTS);
		PlatformUserId who = new PlatformUserId("line", "U-comic-restart");
		ImageOrigin origin = new ImageOrigin(who, Place.direct("line"));
		ComicId id;
		User owner;
		try (ConfigurableApplicationContext first = start()) {
			Comics comics = first.getBean(Comics.class);
			ImageJobs jobs = first.getBean(ImageJobs.class);
			owner = first.getBean(Conversations.class).identify(who, "Restarter");
			id = comics.startRun(owner.id(), "고양이가 바리스타가 되고 싶어 한다", origin).id();
			// the story and prompts are written, and the first panel is on the easel
			await().atMost(Duration.ofSeconds(30))
				.until(() -> comics.get(owner.id(), id)
					.panels()
					.stream()
					.anyMatch(panel -> panel.job() != null && jobs.find(owner.id(), panel.job())
						.map(job -> job.state() == JobState.RUNNING)
						.orElse(false)));
			assertThat(comics.get(owner.id(), id).runState()).isEqualTo(RunState.RUNNING);
		}
		int modelCalls = openai.requests().size();
		sd.drawTime(Duration.ofMillis(100));

		try (ConfigurableApplicationContext second = start()) {
			Comics comics = second.getBean(Comics.class);
			await().atMost(Duration.ofSeconds(90))
				.until(() -> comics.get(owner.id(), id).runState() != RunState.RUNNING);
			Comic done = comics.get(owner.id(), id);
			assertThat(done.runState()).as(done.toString()).isEqualTo(RunState.FINISHED);
			assertThat(done.stage()).isEqualTo(ComicStage.STRIP);
			assertThat(done.stripSha256()).isNotNull();
			assertThat(done.panels()).hasSize(4).allSatisfy(panel -> assertThat(panel.candidate()).isEqualTo(1));
			List<?> afterRestart = openai.requests().subList(modelCalls, openai.requests().size());
			assertThat(afterRestart).as("the story and prompts were not asked for again").isEmpty();
		}
	}

}
