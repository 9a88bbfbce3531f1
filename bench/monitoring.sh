#!/usr/bin/env bash
# The monitoring overview under measurement (issue 7): the demo database plus 10,000 more
# projects, 9,000 of them with a submitted July round (warnings at every level, the overdue red
# ones escalated), then the finance bureau's overview page and API over all of them
# (wrk, one connection: the mean latency is the server's time plus loopback).
# Usage: bench/monitoring.sh [N]. Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
cargo build --release -q -p jixiao-cli
cargo build --release -q -p jixiao-store --example monitoring_seed
bin=$PWD/target/release/jixiao
work=$(mktemp -d)
port=18092
trap 'kill ${pid:-} 2>/dev/null || true; [ -n "${JIXIAO_BENCH_DATA:-}" ] || rm -rf "$work"' EXIT
start() {
  "$bin" serve --demo --addr 127.0.0.1:$port --data-dir "$work/data" > "$work/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do grep -q 已启动 "$work/serve.log" && break; sleep 0.1; done
}
# JIXIAO_BENCH_DATA=DIR keeps the seeded database in DIR and reuses it on the next run.
if [ -n "${JIXIAO_BENCH_DATA:-}" ]; then
  mkdir -p "$JIXIAO_BENCH_DATA"; rm -rf "$work"; work=$JIXIAO_BENCH_DATA
fi
if [ ! -f "$work/data/jixiao.db" ]; then
  start
  kill $pid; wait $pid 2>/dev/null || true
  target/release/examples/monitoring_seed "$work/data" "$n" | tail -1
fi
start
curl -s -c "$work/jar" http://127.0.0.1:$port/login > "$work/login.html"
csrf=$(grep -o 'name="csrf" value="[^"]*"' "$work/login.html" | head -1 | sed 's/.*value="//;s/"//')
curl -s -c "$work/jar" -b "$work/jar" -d "username=reviewer&password=jixiao-demo-2022&csrf=$csrf" http://127.0.0.1:$port/login > /dev/null
session=$(grep jixiao_session "$work/jar" | awk '{print $7}')
measure() { # PATH LABEL
  local size
  size=$(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: jixiao_session=$session" "http://127.0.0.1:$port$1")
  printf '%-36s %7s bytes  ' "$2" "$size"
  wrk -t1 -c1 -d5s --latency -H "Cookie: jixiao_session=$session" "http://127.0.0.1:$port$1" \
    | awk '/Latency/ && !/Distribution/ {printf "mean %s ", $2} /99%/ {printf "p99 %s ", $2} /Requests\/sec/ {printf "(%s req/s)\n", $2}'
}
curl -s -H "Cookie: jixiao_session=$session" "http://127.0.0.1:$port/api/v1/monitoring" | head -c 200; echo
echo "== the monitoring overview over $((n + 2)) projects, as the finance bureau (one connection)"
measure /monitoring "监控总览（第 1 页）"
measure "/monitoring?level=red&page=20" "监控总览（红色，第 20 页）"
measure "/monitoring?level=escalated" "监控总览（逾期上报）"
measure "/api/v1/monitoring?level=yellow" "接口：监控总览（黄色）"
measure / "首页（财政局，逾期预警待办）"
curl -s -c "$work/jar2" http://127.0.0.1:$port/login > "$work/login2.html"
csrf=$(grep -o 'name="csrf" value="[^"]*"' "$work/login2.html" | head -1 | sed 's/.*value="//;s/"//')
curl -s -c "$work/jar2" -b "$work/jar2" -d "username=officer&password=jixiao-demo-2022&csrf=$csrf" http://127.0.0.1:$port/login > /dev/null
session=$(grep jixiao_session "$work/jar2" | awk '{print $7}')
measure / "首页（经办人，红色预警待办）"
measure /monitoring "监控总览（经办人所在部门）"
