package io.switchboard.image;

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
 * The image jobs' durable task: one instance per unfinished job, which takes a step and
 * reschedules itself until the job is finished. A step that throws is tried again after a
 * pause; an instance whose node died is revived by db-scheduler's dead-execution
 * handling.
 */
@Configuration(proxyBeanMethods = false)
class ImageJobTasks {

	@Bean
	CustomTask<Void> imageJobTask(ImageEngine engine) {
		return Tasks.custom(ImageEngine.TASK, Void.class)
			.onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(5)))
			.onDeadExecutionRevive()
			.execute((instance, context) -> {
				Optional<Instant> next = engine.step(Long.parseLong(instance.getId()));
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
