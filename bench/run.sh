#!/usr/bin/env bash
# The gateway benchmark (docs/benchmarks.md, "OpenAI-compatible API"): a fixed-response fake
# upstream on loopback, wrk at 32 connections, direct to the fake versus through Switchboard,
# non-streaming and streaming; one connection for the added latency; and 5,000 concurrent
# streams against a slow upstream (2 s per answer) with the heap measured.
#
#   bench/run.sh             # everything, 10 s per wrk run
#   DURATION=30s bench/run.sh
#   SKIP_BUILD=1 bench/run.sh
#
# Ports 18090-18092 on 127.0.0.1; it stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."

find_jdk() {
	for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-* /usr/lib/jvm/*; do
		if [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] \
			&& "$candidate/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
			echo "$candidate"; return
		fi
	done
	return 1
}
JAVA_HOME=$(find_jdk) || { echo "bench: no JDK 21+ found" >&2; exit 1; }
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }

DURATION=${DURATION:-10s}
GATEWAY=18090 FAST=18091 SLOW=18092
WORK=$(mktemp -d)
OUT=${OUT:-bench/results.txt}
PIDS=()
cleanup() {
	for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
	cp "$WORK/gateway.log" "${OUT%.txt}-gateway.log" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT

for port in $GATEWAY $FAST $SLOW; do
	if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "bench: port $port is in use" >&2; exit 1; fi
done
trap 'echo "bench: failed at line $LINENO" >&2' ERR

if [ -z "${SKIP_BUILD:-}" ]; then ./mvnw -B -q -DskipTests package; fi
JAR=$(ls target/switchboard-*.jar | grep -v original | head -n1)

java -XX:+UseSerialGC -Xmx256m bench/FakeUpstream.java $FAST > "$WORK/fast.log" 2>&1 & PIDS+=($!)
java -XX:+UseSerialGC -Xmx512m bench/FakeUpstream.java $SLOW 2000 > "$WORK/slow.log" 2>&1 & PIDS+=($!)

java -Xms1g -Xmx1g ${GATEWAY_GC:--XX:+UseG1GC} ${GATEWAY_JAVA_OPTS:-} -jar "$JAR" \
	--server.port=$GATEWAY --server.address=127.0.0.1 \
	--server.tomcat.max-connections=12000 --server.tomcat.accept-count=8192 \
	--spring.datasource.url="jdbc:sqlite:$WORK/bench.db?journal_mode=WAL&busy_timeout=10000&foreign_keys=true&synchronous=NORMAL&transaction_mode=IMMEDIATE" \
	--logging.level.root=WARN --logging.level.io.switchboard=${GATEWAY_LOG_LEVEL:-WARN} \
	--switchboard.llm.providers.fast.type=openai --switchboard.llm.providers.fast.base-url=http://127.0.0.1:$FAST/v1 \
	--switchboard.llm.providers.slow.type=openai --switchboard.llm.providers.slow.base-url=http://127.0.0.1:$SLOW/v1 \
	--switchboard.llm.providers.slow.read-timeout=30s \
	--switchboard.llm.models.bench.provider=fast --switchboard.llm.models.bench.input-price=0.15 \
	--switchboard.llm.models.bench.output-price=0.60 \
	--switchboard.llm.models.slow.provider=slow > "$WORK/gateway.log" 2>&1 & GATEWAY_PID=$!
PIDS+=($GATEWAY_PID)

for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$GATEWAY/actuator/health" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$GATEWAY/actuator/health" >/dev/null || { cat "$WORK/gateway.log"; exit 1; }

# The first account (the admin) through the setup form, then an API key through the keys page.
JAR_COOKIES="$WORK/cookies"
csrf() { grep -o 'name="_csrf" value="[^"]*"' | head -n1 | sed 's/.*value="\([^"]*\)"/\1/'; }
TOKEN=$(curl -s -c "$JAR_COOKIES" -b "$JAR_COOKIES" "http://127.0.0.1:$GATEWAY/setup" | csrf)
curl -s -o /dev/null -c "$JAR_COOKIES" -b "$JAR_COOKIES" "http://127.0.0.1:$GATEWAY/setup" \
	--data-urlencode "username=bench" --data-urlencode "displayName=Bench" \
	--data-urlencode "password=bench-password" --data-urlencode "passwordAgain=bench-password" \
	--data-urlencode "_csrf=$TOKEN"
TOKEN=$(curl -s -c "$JAR_COOKIES" -b "$JAR_COOKIES" "http://127.0.0.1:$GATEWAY/api-keys" | csrf)
KEY=$(curl -s -c "$JAR_COOKIES" -b "$JAR_COOKIES" "http://127.0.0.1:$GATEWAY/api-keys" \
	--data-urlencode "name=bench" --data-urlencode "_csrf=$TOKEN" | grep -o 'sk-sb-[A-Za-z0-9_-]\{43\}' | head -n1)
[ -n "$KEY" ] || { echo "bench: could not make an API key" >&2; exit 1; }
export KEY

DIRECT="http://127.0.0.1:$FAST/v1/chat/completions"
THROUGH="http://127.0.0.1:$GATEWAY/v1/chat/completions"
PLAIN='{"model":"bench","messages":[{"role":"user","content":"Say hello"}],"max_tokens":16}'
STREAM='{"model":"bench","stream":true,"messages":[{"role":"user","content":"Say hello"}],"max_tokens":16}'
SLOW_STREAM='{"model":"slow","stream":true,"messages":[{"role":"user","content":"Say hello slowly"}]}'

: > "$OUT"
log() { echo "$@" | tee -a "$OUT"; }
run() { # name, connections, threads, url, body, key, [extra wrk args]
	local name=$1 connections=$2 threads=$3 url=$4 body=$5 key=$6; shift 6
	log ""
	log "### $name: wrk -t$threads -c$connections -d$DURATION --latency $*"
	BODY="$body" KEY="$key" wrk -t"$threads" -c"$connections" -d"$DURATION" --latency "$@" -s bench/post.lua "$url" 2>&1 | tee -a "$OUT"
}
log "# $(date -u +%FT%TZ) $(nproc) cores, $(java -version 2>&1 | head -n1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${ONLY:-}" != "streams" ]; then
# warm the JIT on both paths first
BODY="$PLAIN" wrk -t2 -c32 -d"${WARMUP:-10s}" -s bench/post.lua "http://127.0.0.1:$GATEWAY/v1/chat/completions" >/dev/null
BODY="$STREAM" wrk -t2 -c32 -d"${WARMUP:-10s}" -s bench/post.lua "http://127.0.0.1:$GATEWAY/v1/chat/completions" >/dev/null

run "direct, non-streaming, 32 connections" 32 2 "$DIRECT" "$PLAIN" ""
thread_ticks() { for task in /proc/$GATEWAY_PID/task/*; do
	echo "$(tr ' ' '_' < "$task/comm" | sed 's/[0-9#]*$//') $(cut -d' ' -f14,15 "$task/stat" | awk '{print $1+$2}')"; done; }
# again just before its measured run: the idle minute of the direct runs in between lets the
# upstream connections go stale and the JIT's first look at that path deoptimises code
rewarm() { BODY="$1" wrk -t2 -c32 -d"${REWARM:-5s}" -s bench/post.lua "$THROUGH" >/dev/null; }
rewarm "$PLAIN"
thread_ticks > "$WORK/threads.before"
run "gateway, non-streaming, 32 connections" 32 2 "$THROUGH" "$PLAIN" "$KEY"
thread_ticks > "$WORK/threads.after"
if [ "${ONLY:-}" != "plain" ]; then
run "direct, streaming, 32 connections" 32 2 "$DIRECT" "$STREAM" ""
rewarm "$STREAM"
run "gateway, streaming, 32 connections" 32 2 "$THROUGH" "$STREAM" "$KEY"
run "direct, non-streaming, 1 connection" 1 1 "$DIRECT" "$PLAIN" ""
run "gateway, non-streaming, 1 connection" 1 1 "$THROUGH" "$PLAIN" "$KEY"
run "direct, streaming, 1 connection" 1 1 "$DIRECT" "$STREAM" ""
run "gateway, streaming, 1 connection" 1 1 "$THROUGH" "$STREAM" "$KEY"

# Time to first byte, one connection: curl's time_starttransfer, median of 200 sequential requests.
ttfb() { # url, key
	local auth=()
	[ -n "$2" ] && auth=(-H "Authorization: Bearer $2")
	for _ in $(seq 1 200); do
		curl -s -o /dev/null -w '%{time_starttransfer}\n' "${auth[@]}" -H 'Content-Type: application/json' \
			-d "$STREAM" "$1"
	done | sort -n | awk '{a[NR]=$1} END {printf "median %.3f ms, p90 %.3f ms\n", a[int(NR/2)]*1000, a[int(NR*0.9)]*1000}'
}
log ""
log "### time to first byte, streaming, curl x200"
log "direct:  $(ttfb "$DIRECT" "")"
log "gateway: $(ttfb "$THROUGH" "$KEY")"
fi

fi

if [ -n "${GATEWAY_JFR:-}" ]; then jcmd $GATEWAY_PID JFR.dump filename="$GATEWAY_JFR" >/dev/null; fi
# CPU seconds per gateway thread over the measured non-streaming run (grouped by name)
if [ -n "${THREAD_CPU:-}" ]; then
	awk -v hz="$(getconf CLK_TCK)" 'NR==FNR {before[$1]+=$2; next} {cpu[$1]+=$2} END {
		for (n in cpu) {d=(cpu[n]-before[n])/hz; total+=d; diff[n]=d}
		for (n in diff) if (diff[n] > 0) printf "%8.2f s %5.1f%%  %s\n", diff[n], diff[n]*100/total, n}' \
		"$WORK/threads.before" "$WORK/threads.after" | sort -rn > "$THREAD_CPU"
fi
[ "${ONLY:-}" = "plain" ] && exit 0
# 5,000 concurrent streams against the slow upstream, sampling the gateway's heap every second.
log ""
log "### ${STREAMS:-5000} concurrent streams, slow upstream (2 s per answer)"
# heap in use = survivors + eden + old generation, in KB, from jstat every second
jstat -gc $GATEWAY_PID 1000 > "$WORK/heap.log" 2>/dev/null & PIDS+=($!)
DURATION=${STREAM_DURATION:-30s} run "direct, slow streams, ${STREAMS:-5000} connections" ${STREAMS:-5000} 2 \
	"http://127.0.0.1:$SLOW/v1/chat/completions" "$SLOW_STREAM" "" --timeout 20s
# the live heap in the middle of the run: a full collection, then what is left
# (the class histogram collects first and counts only what is reachable)
( sleep 15; jcmd $GATEWAY_PID GC.class_histogram > "$WORK/live.txt"; [ -z "${HISTO:-}" ] || cp "$WORK/live.txt" "$HISTO" ) &
if [ -n "${DUMP:-}" ]; then
	( sleep 6; jcmd $GATEWAY_PID Thread.dump_to_file -format=text "$DUMP" >/dev/null ) &
fi
DURATION=${STREAM_DURATION:-30s} run "gateway, slow streams, ${STREAMS:-5000} connections" ${STREAMS:-5000} 2 "$THROUGH" "$SLOW_STREAM" "$KEY" --timeout 20s
sleep 1
if [ -n "${HISTO:-}" ]; then jcmd $GATEWAY_PID GC.class_histogram > "$HISTO.end" 2>&1; fi
log "live heap 15 s into the run (reachable objects, class histogram): $(tail -n1 "$WORK/live.txt" | awk '{printf "%.0f MB", $3/1048576}')"
log "heap in use incl. garbage, peak over the run (jstat, -Xmx1g): $(awk 'NR==1 {for (i=1;i<=NF;i++) col[$i]=i; next}
	{used=$col["S0U"]+$col["S1U"]+$col["EU"]+$col["OU"]; if (used>max) max=used} END {printf "%.0f MB", max/1024}' "$WORK/heap.log")"
log "garbage collections: $(tail -n1 "$WORK/heap.log")"
log "gateway warnings: $(grep -cE ' (WARN|ERROR) ' "$WORK/gateway.log" || true)"
grep -E ' (WARN|ERROR|INFO) ' "$WORK/gateway.log" | cut -c1-300 | sort | uniq -c | sort -rn | head -n 5 | tee -a "$OUT" || true
log "recorded calls: $(curl -s -b "$JAR_COOKIES" "http://127.0.0.1:$GATEWAY/actuator/prometheus" | grep -E '^switchboard_api_calls_(dropped|queued)' | tr '\n' ' ')"
