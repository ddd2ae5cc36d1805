package io.switchboard.image;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.switchboard.SwitchboardApplication;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.fakes.FakeMidjourneyProxy;
import io.switchboard.fakes.FakeSdWebUi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing is lost by a restart: the application is stopped while a provider is still
 * working on a job, a new one is started on the same SQLite file, and the job is picked
 * up and delivered. midjourney-proxy keeps its task, so the new process asks about the
 * same task; SD WebUI's call died with the process, so the job is sent again.
 */
class ImageRestartTest {

	static final FakeMidjourneyProxy mj = FakeMidjourneyProxy.start(null);

	static final FakeSdWebUi sd = FakeSdWebUi.start();

	@TempDir
	Path data;

	@AfterAll
	static void stopFakes() {
		mj.close();
		sd.close();
	}

	ConfigurableApplicationContext start() {
		List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=test",
				"--spring.datasource.url=jdbc:sqlite:" + data.resolve("switchboard.db")
						+ "?journal_mode=WAL&busy_timeout=10000&foreign_keys=true&transaction_mode=IMMEDIATE",
				"--server.port=0", "--spring.main.banner-mode=off", "--db-scheduler.polling-interval=100ms",
				"--switchboard.image.providers.mj.type=midjourney-proxy",
				"--switchboard.image.providers.mj.base-url=" + mj.baseUrl(),
				"--switchboard.image.providers.mj.use-notify-hook=false",
				"--switchboard.image.providers.mj.poll-interval=200ms",
				"--switchboard.image.providers.sd.type=sd-webui",
				"--switchboard.image.providers.sd.base-url=" + sd.uri(),
				"--switchboard.image.providers.sd.poll-interval=200ms"));
		return new SpringApplicationBuilder(SwitchboardApplication.class).web(WebApplicationType.SERVLET)
			.run(arguments.toArray(String[]::new));
	}

	@Test
	void aJobUnderWayWhenTheApplicationStopsIsPickedUpAndDeliveredByTheNextOne() {
		mj.workTime(Duration.ofSeconds(60));
		sd.drawTime(Duration.ofSeconds(60));
		PlatformUserId who = new PlatformUserId("line", "U-restart");
		ImageOrigin origin = new ImageOrigin(who, Place.direct("line"));
		ImageJobId mjJob;
		ImageJobId sdJob;
		String mjTask;
		try (ConfigurableApplicationContext first = start()) {
			ImageJobs jobs = first.getBean(ImageJobs.class);
			User user = first.getBean(Conversations.class).identify(who, "Restarter");
			mjJob = jobs
				.imagine(user.id(),
						new ImageRequest("a slow lighthouse", null,
								new ImageSettings("mj", null, null, null, null, null, null, null)),
						origin)
				.id();
			sdJob = jobs
				.imagine(user.id(),
						new ImageRequest("a slow harbour", null,
								new ImageSettings("sd", null, 64, 64, null, null, null, null)),
						origin)
				.id();
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				ImageJob a = jobs.find(user.id(), mjJob).orElseThrow();
				ImageJob b = jobs.find(user.id(), sdJob).orElseThrow();
				return a.providerTaskId() != null && a.state() == JobState.RUNNING && b.state() == JobState.RUNNING;
			});
			mjTask = jobs.find(user.id(), mjJob).orElseThrow().providerTaskId();
			assertThat(sd.drawings()).isEqualTo(1);
		}
		// the providers finish while no application runs
		mj.finishAll();
		sd.drawTime(Duration.ofMillis(100));
		int tasksBefore = mj.taskCount();

		try (ConfigurableApplicationContext second = start()) {
			ImageJobs jobs = second.getBean(ImageJobs.class);
			ImageJob mjDone = jobs.await(mjJob, Duration.ofSeconds(60));
			ImageJob sdDone = jobs.await(sdJob, Duration.ofSeconds(60));
			assertThat(mjDone.state()).as(mjDone.failureReason()).isEqualTo(JobState.SUCCEEDED);
			assertThat(mjDone.providerTaskId()).isEqualTo(mjTask);
			assertThat(mjDone.candidates()).hasSize(4);
			assertThat(mj.taskCount()).isEqualTo(tasksBefore); // asked about, not sent
																// again
			assertThat(sdDone.state()).as(sdDone.failureReason()).isEqualTo(JobState.SUCCEEDED);
			assertThat(sdDone.candidates()).hasSize(4);
			assertThat(sd.drawings()).isEqualTo(2); // its call died with the first
													// process
		}
	}

}
