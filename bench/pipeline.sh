#!/usr/bin/env bash
# The channel pipeline under load (docs/benchmarks.md, "Channel pipeline"): the built jar
# as its own process on SQLite or PostgreSQL, LINE or Slack and the model faked on
# loopback, one message a user at a steady rate. Arguments go to PipelineLoad:
#
#   bench/pipeline.sh --platform line --rate 500 --seconds 60 --model-seconds 5 --database sqlite
#   bench/pipeline.sh --platform slack --rate 500 --seconds 60 --model-seconds 0 --database postgresql
#   bench/pipeline.sh --platform line --rate 5000 --lead-in-seconds 30 --seconds 60 --model-seconds 5 --database postgresql
#   SKIP_BUILD=1 bench/pipeline.sh ...       # reuse the last build
#
# --lead-in-seconds N sends at the full rate for N seconds before the measured seconds, in
# one stream (a node that has been serving a while); its messages count for lost and
# twice, its webhook p99 is shown apart. Without it the run starts on a freshly started JVM.
#
# Each run appends its figures to bench/results-pipeline.log. PostgreSQL runs need the
# server at 127.0.0.1:5432 (database test, user postgres, trust auth).
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/jdk.sh

if [ -z "${SKIP_BUILD:-}" ]; then
	./mvnw -B -q package -DskipTests
	./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test \
		-Dmdep.outputFile=target/bench-classpath.txt
fi
jar=$(ls target/switchboard-*.jar | grep -v '\.original$' | head -n1)
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
	io.switchboard.bench.PipelineLoad --jar "$jar" "$@"
