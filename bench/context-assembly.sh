#!/usr/bin/env bash
# Runs the context assembly JMH benchmark (docs/benchmarks.md, "Context assembly").
# Extra arguments go to JMH, e.g.
#   bench/context-assembly.sh -p messageCount=100000 -p window=16k -prof gc
#   bench/context-assembly.sh -p database=sqlite,postgresql
# Needs JDK 21 or newer in JAVA_HOME (or on the PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test \
	-Dmdep.outputFile=target/bench-classpath.txt
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java" -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
	org.openjdk.jmh.Main ContextAssemblyBenchmark "$@"
