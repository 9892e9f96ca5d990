#!/usr/bin/env bash
# FID from statistics, end to end: the per-step breakdown (frechet-steps benchmark), then the whole
# `genmetrics fid A.npz B.npz` process on two full-rank 2048-d stats files, 5 runs each for GenMetrics' files
# stored uncompressed with sums (stats --uncompressed --sums, 64 MiB) and pytorch-fid's deflated mu/sigma files;
# prints the median wall time and user+sys CPU.
# Usage: benchmarks/fid-process.sh [DIR]   (DIR keeps the generated stats files; default: a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-$(mktemp -d)}
mkdir -p "$dir"
dotnet build GenMetrics.slnx -c Release -v q -nologo | grep -E "Warn|rror" || true
GENMETRICS_BENCH_STATS_DIR="$dir" dotnet benchmarks/GenMetrics.Benchmarks/bin/Release/net10.0/GenMetrics.Benchmarks.dll frechet-steps
# The files were just written: let their write-back finish before the timed runs, so it does not run beside them.
sync
cli=src/GenMetrics.Cli/bin/Release/net10.0/GenMetrics.Cli.dll
TIMEFORMAT='%R %U %S'
for kind in stored deflated; do
  if [ "$kind" = stored ]; then a="$dir/a.npz"; b="$dir/b.npz"; else a="$dir/a.pf.npz"; b="$dir/b.pf.npz"; fi
  : > "$dir/times.$kind"
  for _ in 1 2 3 4 5; do
    { time dotnet "$cli" fid "$a" "$b" > "$dir/fid.$kind.txt"; } 2>> "$dir/times.$kind"
  done
  walls=$(awk '{print $1}' "$dir/times.$kind" | sort -n | tr '\n' ' ')
  median_wall=$(awk '{print $1}' "$dir/times.$kind" | sort -n | sed -n 3p)
  median_cpu=$(awk '{printf "%.2f\n", $2 + $3}' "$dir/times.$kind" | sort -n | sed -n 3p)
  echo "genmetrics fid ($kind files): median ${median_wall} s wall of 5 (${walls}s), median ${median_cpu} s user+sys CPU; $(cat "$dir/fid.$kind.txt"); load $(cut -d' ' -f1 /proc/loadavg)"
done
