package io.switchboard.cluster;

import java.util.List;

import io.switchboard.fakes.FakeOpenAi;

/** Settings every node of a cluster test shares: one fake model, short recovery times. */
final class ClusterSettings {

	private ClusterSettings() {
	}

	/**
	 * The model {@code cluster-model} on the fake, and the pipeline's recovery and sweep
	 * intervals short enough for a test to see a dead node's work taken over.
	 */
	static List<String> model(FakeOpenAi model) {
		return model(model, "10s");
	}

	/**
	 * The same with the given turn lease: a short one lets a test see a dead node's turn
	 * taken over soon; under a burst on a busy machine a node's renewal can come late,
	 * and another node would then take a live turn over (answered once all the same, the
	 * model asked twice), so bursts get a longer one.
	 */
	static List<String> model(FakeOpenAi model, String turnLease) {
		return List.of("switchboard.llm.providers.cluster.type=openai",
				"switchboard.llm.providers.cluster.base-url=" + model.baseUrl(),
				"switchboard.llm.providers.cluster.api-key=" + model.apiKey(),
				"switchboard.llm.models.cluster-model.provider=cluster",
				"switchboard.llm.models.cluster-model.upstream-model=gpt-4o-mini",
				"switchboard.llm.models.cluster-model.context-window=16000",
				"switchboard.llm.default-model=cluster-model", "switchboard.llm.retry.initial-backoff=10ms",
				"switchboard.channel.turn-lease=" + turnLease, "switchboard.channel.recovery-interval=500ms",
				"switchboard.channel.delivery-sweep-interval=200ms", "spring.lifecycle.timeout-per-shutdown-phase=3s",
				"switchboard.media.public-base-url=https://bot.example.com", "logging.level.io.switchboard=INFO");
	}

}
