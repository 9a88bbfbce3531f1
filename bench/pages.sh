#!/usr/bin/env bash
# The workspace pages under measurement (issue 6): server time per page for the Kunming
# project (wrk, one connection: the mean latency is the server's time plus loopback), the
# bytes each page sends, and the project list over 10,000 projects, filtered and paginated.
# Usage: bench/pages.sh. Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p jixiao-cli
bin=$PWD/target/release/jixiao
work=$(mktemp -d)
port=18091
"$bin" serve --demo --addr 127.0.0.1:$port --data-dir "$work/data" > "$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q 已启动 "$work/serve.log" && break; sleep 0.1; done
curl -s -c "$work/jar" http://127.0.0.1:$port/login > "$work/login.html"
csrf=$(grep -o 'name="csrf" value="[^"]*"' "$work/login.html" | head -1 | sed 's/.*value="//;s/"//')
curl -s -c "$work/jar" -b "$work/jar" -d "username=officer&password=jixiao-demo-2022&csrf=$csrf" http://127.0.0.1:$port/login > /dev/null
session=$(grep jixiao_session "$work/jar" | awk '{print $7}')
measure() { # PATH LABEL
  local size
  size=$(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: jixiao_session=$session" "http://127.0.0.1:$port$1")
  printf '%-40s %7s bytes  ' "$2" "$size"
  wrk -t1 -c1 -d5s --latency -H "Cookie: jixiao_session=$session" "http://127.0.0.1:$port$1" \
    | awk '/Latency/ && !/Distribution/ {printf "mean %s ", $2} /99%/ {printf "p99 %s ", $2} /Requests\/sec/ {printf "(%s req/s)\n", $2}'
}
echo "== pages of the Kunming project (one connection)"
measure / 首页
measure /projects 项目列表
measure /projects/1 项目页
measure /projects/1/evaluation 绩效评价
measure /projects/1/targets/T04 填报实际完成值
measure /projects/1/judgments/A111 评分
measure /check 报告体检
measure /static/app.css 样式表
echo "== adding 10,000 projects through the API (wrk, 4 connections)"
token=$("$bin" admin create-token --username officer --name bench --data-dir "$work/data" 2>/dev/null)
cat > "$work/create.lua" <<LUA
local f = io.open("examples/kunming-2022.toml", "rb")
local file = f:read("*a")
f:close()
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/toml"
wrk.headers["Authorization"] = "Bearer $token"
request = function()
  n = n + 1
  local body = file:gsub('name = "残疾人基层组织建设及服务经费"', 'name = "残疾人基层组织建设及服务经费（' .. thread_id .. '-' .. n .. '）"', 1)
  return wrk.format(nil, "/api/v1/projects", nil, body)
end
setup = function(thread) thread:set("thread_id", tostring(os.time())) end
LUA
created=0
while [ "$created" -lt 10000 ]; do
  wrk -t1 -c4 -d4s -s "$work/create.lua" "http://127.0.0.1:$port" > /dev/null
  created=$(curl -s -H "Authorization: Bearer $token" http://127.0.0.1:$port/api/v1/projects | grep -o '"id"' | wc -l)
done
echo "projects: $created"
echo "== the project list over them (one connection)"
measure "/projects" "项目列表（第 1 页）"
measure "/projects?page=150" "项目列表（第 150 页）"
measure "/projects?q=%E5%8F%98%E4%BD%93&year=2022" "项目列表（搜索）"
measure "/projects?grade=%E5%B7%AE&target_sheet=draft&page=3" "项目列表（等级与状态筛选，第 3 页）"
measure / "首页（10,000 个项目）"
