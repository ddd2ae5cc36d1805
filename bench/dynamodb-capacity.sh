#!/usr/bin/env bash
# DynamoDB capacity units and context-assembly time of one chat turn, on sessions of a few,
# 1,000 and 100,000 messages (docs/benchmarks.md, "DynamoDB capacity per chat turn").
# Needs dynalite at 127.0.0.1:4567:
#   npm install --prefix /tmp/dynalite dynalite && /tmp/dynalite/node_modules/.bin/dynalite --port 4567 &
# Arguments: the session sizes (default: 0 1000 100000).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test \
	-Dmdep.outputFile=target/bench-classpath.txt
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java" -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
	io.switchboard.assistant.DynamoTurnCapacity "$@"
