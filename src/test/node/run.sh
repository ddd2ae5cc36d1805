#!/usr/bin/env bash
# Runs the official openai npm package (openai-client.test.mjs, on node's test runner) against a
# Switchboard it starts from the built jar, in front of bench/FakeUpstream.java. Called by .ci/run
# after `./mvnw verify` has built target/switchboard-*.jar; needs node and npm.
set -euo pipefail
cd "$(dirname "$0")/../../.."
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAR=$(ls target/switchboard-*.jar | grep -v original | head -n1)
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

# a port nothing answers on (never 8080)
free_port() {
	local port
	while true; do
		port=$(shuf -i 20000-59999 -n 1)
		curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" || { echo "$port"; return; }
	done
}
UPSTREAM=$(free_port)
PORT=$(free_port)

"$JAVA" bench/FakeUpstream.java "$UPSTREAM" > "$WORK/upstream.log" 2>&1 & PIDS+=($!)
"$JAVA" -Xmx512m -jar "$JAR" --server.port="$PORT" --server.address=127.0.0.1 \
	--spring.datasource.url="jdbc:sqlite:$WORK/node.db?journal_mode=WAL&busy_timeout=10000&foreign_keys=true" \
	--logging.level.root=WARN --switchboard.llm.demo.chunk-delay=0ms \
	--switchboard.llm.providers.fake.type=openai --switchboard.llm.providers.fake.base-url="http://127.0.0.1:$UPSTREAM/v1" \
	--switchboard.llm.providers.demo.type=demo \
	--switchboard.llm.models.bench.provider=fake --switchboard.llm.models.demo.provider=demo \
	> "$WORK/switchboard.log" 2>&1 & PIDS+=($!)

for _ in $(seq 1 180); do curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null || { tail -50 "$WORK/switchboard.log"; exit 1; }

# the first account through the setup form, then a key through the keys page, as a person would
COOKIES="$WORK/cookies"
csrf() { grep -o 'name="_csrf" value="[^"]*"' | head -n1 | sed 's/.*value="\([^"]*\)"/\1/'; }
TOKEN=$(curl -s -c "$COOKIES" -b "$COOKIES" "http://127.0.0.1:$PORT/setup" | csrf)
curl -s -o /dev/null -c "$COOKIES" -b "$COOKIES" "http://127.0.0.1:$PORT/setup" \
	--data-urlencode "username=node" --data-urlencode "displayName=Node" \
	--data-urlencode "password=node-password" --data-urlencode "passwordAgain=node-password" \
	--data-urlencode "_csrf=$TOKEN"
TOKEN=$(curl -s -c "$COOKIES" -b "$COOKIES" "http://127.0.0.1:$PORT/api-keys" | csrf)
KEY=$(curl -s -c "$COOKIES" -b "$COOKIES" "http://127.0.0.1:$PORT/api-keys" \
	--data-urlencode "name=node" --data-urlencode "_csrf=$TOKEN" | grep -o 'sk-sb-[A-Za-z0-9_-]\{43\}' | head -n1 || true)
[ -n "$KEY" ] || { echo "node check: could not make an API key" >&2; tail -50 "$WORK/switchboard.log"; exit 1; }

cd src/test/node
npm ci --no-audit --no-fund --silent
BASE_URL="http://127.0.0.1:$PORT/v1" API_KEY="$KEY" npm test --silent
