#!/usr/bin/env bash
# A scripted 1,000-turn conversation through the assistant, three ways (docs/benchmarks.md,
# "Long conversations"): the whole history resent every turn, today's 128k window fill,
# and compaction within a 16k context budget. The model is a fake OpenAI server on
# loopback that counts input tokens (o200k_base) and simulates a prefix cache.
#
#   bench/long-conversation.sh                               # 1,000 turns, all three ways
#   bench/long-conversation.sh --turns 200 --modes compaction
#   SKIP_BUILD=1 bench/long-conversation.sh ...              # reuse the last build
#
# Prints one line per way and a Markdown table; appends both to bench/results-long-conversation.log.
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/jdk.sh

if [ -z "${SKIP_BUILD:-}" ]; then
	./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test \
		-Dmdep.outputFile=target/bench-classpath.txt
fi
java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
	io.switchboard.bench.LongConversation "$@" | tee -a bench/results-long-conversation.log
