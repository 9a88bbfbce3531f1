#!/usr/bin/env bash
# The web application under load on loopback (issue 5): reading a project through the API,
# saving one, the project list, start-up time and memory. Usage: bench/serve.sh [DATABASE_URL]
# (default: the embedded SQLite file of a fresh data directory). Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p jixiao-cli
bin=$PWD/target/release/jixiao
work=$(mktemp -d)
port=18090
db=()
[ -n "${1:-}" ] && db=(--database-url "$1")
"$bin" serve --demo --addr 127.0.0.1:$port --data-dir "$work/data" "${db[@]}" > "$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q 已启动 "$work/serve.log" && break; sleep 0.1; done
grep 已启动 "$work/serve.log"
echo "idle memory: $(grep VmRSS /proc/$pid/status)"
curl -s -c "$work/jar" http://127.0.0.1:$port/login > "$work/login.html"
csrf=$(grep -o 'name="csrf" value="[^"]*"' "$work/login.html" | head -1 | sed 's/.*value="//;s/"//')
curl -s -c "$work/jar" -b "$work/jar" -d "username=officer&password=jixiao-demo-2022&csrf=$csrf" http://127.0.0.1:$port/login > /dev/null
session=$(grep jixiao_session "$work/jar" | awk '{print $7}')
id=$(curl -s -b "$work/jar" http://127.0.0.1:$port/api/v1/projects | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
echo "== read a project (GET /api/v1/projects/$id), 64 connections"
wrk -t2 -c64 -d10s --latency -H "Cookie: jixiao_session=$session" "http://127.0.0.1:$port/api/v1/projects/$id" | grep -E "Requests/sec|50%|99%|Non-2xx"
echo "== list projects (GET /api/v1/projects), 64 connections"
wrk -t2 -c64 -d10s --latency -H "Cookie: jixiao_session=$session" "http://127.0.0.1:$port/api/v1/projects" | grep -E "Requests/sec|50%|99%|Non-2xx"
cat > "$work/put.lua" <<LUA
wrk.method = "PUT"
local f = io.open("examples/kunming-2022.toml", "rb")
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/toml"
wrk.headers["If-Match"] = "*"
wrk.headers["Cookie"] = "jixiao_session=$session"
LUA
echo "== save a project (PUT /api/v1/projects/$id, the 30 KB Kunming file), 64 connections"
wrk -t2 -c64 -d10s --latency -s "$work/put.lua" "http://127.0.0.1:$port/api/v1/projects/$id" | grep -E "Requests/sec|50%|99%|Non-2xx"
echo "memory after load: $(grep VmRSS /proc/$pid/status)"
