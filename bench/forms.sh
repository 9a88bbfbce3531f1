#!/usr/bin/env bash
# Reading the official forms (issue 4): `jixiao convert FORMS.xlsx OUT.toml` against an
# openpyxl script in read-only mode that reads every cell of the same file, as whole
# processes with hyperfine; then 100,000 rows.
# Usage: bench/forms.sh [WORKDIR]   (needs hyperfine and python3 with openpyxl)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
cargo build --release -q -p jixiao-cli -p jixiao-report --example forms_big
bin=$PWD/target/release
"$bin/examples/forms_big" 10000 "$work/forms-10k.xlsx"
"$bin/examples/forms_big" 100000 "$work/forms-100k.xlsx"
hyperfine --warmup 2 --runs 10 --export-markdown "$work/forms-10k.md" \
  -n "jixiao convert (10,000 rows)" "$bin/jixiao convert $work/forms-10k.xlsx $work/out-10k.toml" \
  -n "openpyxl read-only (10,000 rows)" "python3 tests/forms/openpyxl_forms.py read $work/forms-10k.xlsx"
hyperfine --warmup 1 --runs 10 --export-markdown "$work/forms-100k.md" \
  -n "jixiao convert (100,000 rows)" "$bin/jixiao convert $work/forms-100k.xlsx $work/out-100k.toml"
echo "results: $work/forms-10k.md $work/forms-100k.md"
