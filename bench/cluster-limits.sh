#!/usr/bin/env bash
# API key limits across nodes (docs/benchmarks.md, "API key limits across nodes"): several
# servers in one JVM on a fresh PostgreSQL schema, one key, clients hammering all nodes at
# once; prints how many requests were let through against the most the limit allows.
#
#   bench/cluster-limits.sh --nodes 3 --rpm 600 --clients 48 --seconds 60
#   SKIP_BUILD=1 bench/cluster-limits.sh ...     # reuse the last build
#
# Each run appends its line to bench/results-cluster-limits.log. Needs PostgreSQL at
# 127.0.0.1:5432 (database test, user postgres, trust auth).
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/jdk.sh

if [ -z "${SKIP_BUILD:-}" ]; then
	./mvnw -B -q test-compile
	./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test \
		-Dmdep.outputFile=target/bench-classpath.txt
fi
exec java -Dswitchboard.require-postgres=true -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
	io.switchboard.bench.ClusterLimits "$@"
