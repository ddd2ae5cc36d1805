#!/usr/bin/env bash
# The serverless edition's sizing (docs/benchmarks.md, "Serverless edition"): both functions
# started as AWS Lambda starts them (Spring Cloud Function's FunctionInvoker), against dynalite
# at 127.0.0.1:4567 and the fake LINE, model, SQS and SSM; one fresh JVM with and one without
# SnapStart's priming. Arguments go to LambdaBench:
#
#   bench/lambda.sh                                  # cold, 200 warm calls, 500 events a minute for 60 s
#   bench/lambda.sh --warm 500 --rate 500 --seconds 120
#   SKIP_BUILD=1 bench/lambda.sh ...                 # reuse the last build
#
# Each run appends its figures to bench/results-lambda.log.
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/jdk.sh

if [ -z "${SKIP_BUILD:-}" ]; then
	./mvnw -B -q test-compile
	./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test \
		-Dmdep.outputFile=target/bench-classpath.txt
	# the cold starts run on the deployment's package, unpacked as Lambda unpacks it
	./mvnw -B -q -Plambda -DskipTests package
	rm -rf target/lambda-package
	mkdir -p target/lambda-package
	(cd target/lambda-package && unzip -q ../switchboard-*-lambda.zip)
fi
for prime in false true; do
	{
		echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg) prime=$prime $*"
		java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Dlambda.package=target/lambda-package \
			-cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
			io.switchboard.channel.serverless.LambdaBench --prime "$prime" "$@" 2>/dev/null | grep -E '^(cold|warm|load)'
	} | tee -a bench/results-lambda.log
done
