package io.switchboard.comic;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The durable task of a comic that makes itself ({@code /comic}): one instance per
 * running comic, which takes the comic as far as it can and reschedules itself while its
 * panels are drawn. A step that throws (the database briefly away) is tried again a few
 * times, then the comic is marked failed; a node that dies mid-step is replaced by
 * db-scheduler's dead-execution handling.
 */
@Configuration(proxyBeanMethods = false)
class ComicTasks {

	static final int MAX_RETRIES = 5;

	@Bean
	CustomTask<Void> comicRunTask(Comics comics, ComicStore store) {
		return Tasks.custom(Comics.TASK, Void.class)
			.onFailure(new FailureHandler.MaxRetriesFailureHandler<>(MAX_RETRIES,
					new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(10)), (complete, operations) -> {
						long id = Long.parseLong(complete.getExecution().taskInstance.getId());
						store.find(id)
							.ifPresent(comic -> comics.fail(comic,
									"Something went wrong on the server while making the comic; please try again."));
						operations.stop();
					}))
			.onDeadExecutionRevive()
			.execute((instance, context) -> {
				Optional<Instant> next = comics.step(Long.parseLong(instance.getId()));
				return (CompletionHandler<Void>) (complete, operations) -> {
					if (next.isPresent()) {
						operations.reschedule(complete, next.get());
					}
					else {
						operations.remove();
					}
				};
			});
	}

}
