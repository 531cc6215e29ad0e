#!/usr/bin/env bash
# The gateway's benchmark: direct to a mock backend, through nginx and through the gateway, side by side.
#
#   bench/run.sh [--quick] [--note TEXT] [--gateway-jar JAR] [--gateway-jvm-flags "FLAGS"] [--store mariadb|h2]
#
# --quick proves the whole run in under 3 minutes (numbers indicative only); the default full run (about 35 min,
# on a quiet machine) is the one to publish. Installs nginx, wrk and MariaDB from Debian packages when missing,
# builds the gateway jar when missing and the benchmark module, then writes bench/results/latest.md and latest.json.
# Raw logs and generated configs: bench/target/run. Needs 2 or more CPUs: CPU 0 runs the mock, the load generator
# and the request log's database (a private MariaDB server; --store h2 keeps it embedded in the gateway instead),
# CPU 1 nginx and the gateway. All traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=--full
note=""
gateway_jar=target/ai-gateway-standalone.jar
gateway_jvm_flags="-Xmx512m"
store=mariadb
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=--quick ;;
    --full) mode=--full ;;
    --note) note="$2"; shift ;;
    --gateway-jar) gateway_jar="$2"; shift ;;
    --gateway-jvm-flags) gateway_jvm_flags="$2"; shift ;;
    --store) store="$2"; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

if [ "$(nproc --all)" -lt 2 ]; then
  echo "the benchmark pins load and proxies to separate CPUs; this machine has $(nproc --all)" >&2
  exit 1
fi

nginx_bin=$(command -v nginx || true)
[ -z "$nginx_bin" ] && [ -x /usr/sbin/nginx ] && nginx_bin=/usr/sbin/nginx
if [ -z "$nginx_bin" ] || ! command -v wrk >/dev/null; then
  echo "installing nginx and wrk from Debian packages"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q nginx-light wrk \
    || DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q nginx wrk
  nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
fi

if [ "$store" = mariadb ] && ! command -v mariadbd >/dev/null && [ ! -x /usr/sbin/mariadbd ]; then
  echo "installing MariaDB from Debian packages (the run starts a private server of its own; the system's is not used)"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q mariadb-server
fi

if [ ! -f "$gateway_jar" ]; then
  echo "building the gateway: mvn -q -DskipTests package"
  mvn -q -DskipTests package
fi
echo "building the benchmark: mvn -q -f bench/pom.xml package"
mvn -q -f bench/pom.xml -DskipTests package

# Thousands of streams: a connection each from the client, into and out of the proxy, and into the mock.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
rm -rf bench/target/run
exec taskset -c 0 java -Xms512m -Xmx2g -jar bench/target/ai-gateway-bench.jar "$mode" \
  --gateway-jar "$gateway_jar" --gateway-jvm-flags "$gateway_jvm_flags" --nginx "$nginx_bin" \
  --work bench/target/run --results bench/results --note "$note" --store "$store"
