#!/usr/bin/env bash
# The gateway's soak: many SSE streams held open, then minutes of mixed traffic, then a check that the gateway's
# threads, sockets and heap after GC come back to their baseline (no leak). Not a unit test: run it on purpose.
#
#   bench/soak.sh [--streams N] [--hold-seconds S] [--mixed-minutes M] [--rate R] [--mixed-streams K]
#                 [--sample-seconds T] [--gateway-jar JAR] [--gateway-jvm-flags "FLAGS"]
#
# Defaults are the full size (1,000 streams for 60 s, then 10 min at 200 req/s plus 50 concurrent short streams:
# about 15 minutes). Writes bench/results/soak-latest.md; raw logs in bench/target/soak. Exit status 1 when a check
# fails. The mock runs on CPU 0 and the gateway on CPU 1 (taskset), all on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

gateway_jar=target/ai-gateway-standalone.jar
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --gateway-jar) gateway_jar="$2"; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) args+=("$1") ;;
  esac
  shift
done

if [ "$(nproc --all)" -lt 2 ]; then
  echo "the soak pins the mock and the gateway to separate CPUs; this machine has $(nproc --all)" >&2
  exit 1
fi
if [ ! -f "$gateway_jar" ]; then
  echo "building the gateway: mvn -q -DskipTests package"
  mvn -q -DskipTests package
fi
echo "building the benchmark: mvn -q -f bench/pom.xml package"
mvn -q -f bench/pom.xml -DskipTests package

# A connection per open stream, from the client into the gateway and from the gateway into the mock.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
rm -rf bench/target/soak
exec taskset -c 0 java -Xms256m -Xmx1g -cp bench/target/ai-gateway-bench.jar io.aigateway.bench.run.SoakRunner \
  --gateway-jar "$gateway_jar" ${args[@]+"${args[@]}"}
