#!/usr/bin/env bash
# A real one-node Slurm cluster: sharded features and statistics as an sbatch job array (--shard auto), merged by a
# dependent job (--dependency=afterok), must give the single-process FID (1e-12 relative), KID and PR/DC (identical).
#
# Usage: tests/cluster/slurm.sh [GENMETRICS_CLI]   (default: builds src/GenMetrics.Cli and uses its apphost)
# Needs root (the daemons run as root, as on a one-machine test cluster) and installs Debian's slurm-wlm and munge
# when they are absent. Every daemon runs from a temporary folder with its own configuration, socket, ports and
# logs; all of them are stopped on every exit path. A failure prints the daemon and job logs; nothing is skipped.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
fixtures=$(cd "$repo/../shared/fixtures" && pwd)
cli=${1:-}
images_per_set=${GENMETRICS_SLURM_IMAGES:-24}   # 24 = 6+6+6+6 over 4 shards; 4 array tasks stay within a few minutes
timeout_s=${GENMETRICS_SLURM_TIMEOUT:-300}

say() { printf 'slurm.sh: %s\n' "$*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

if [ "$(id -u)" != 0 ]; then fail "must run as root (slurmd and slurmctld run as root on this one-node test cluster)"; fi
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
   || ! command -v munged >/dev/null || ! command -v mungekey >/dev/null; then
  say "installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || fail "apt-get update failed"
  apt-get install -y -qq slurm-wlm munge >/dev/null || fail "apt-get install slurm-wlm munge failed"
fi

if [ -z "$cli" ]; then
  say "building the CLI"
  dotnet build "$repo/src/GenMetrics.Cli" -c Release -v q -nologo >/dev/null || fail "dotnet build src/GenMetrics.Cli failed"
  cli="$repo/src/GenMetrics.Cli/bin/Release/net10.0/GenMetrics.Cli"
fi
[ -x "$cli" ] || fail "$cli: not an executable GenMetrics CLI"

work=$(mktemp -d /tmp/genmetrics-slurm.XXXXXX)
chmod 755 "$work"   # slurmd (root) and the jobs read it; munge refuses world-writable folders
mkdir -p "$work/munge" "$work/state" "$work/spool" "$work/log" "$work/out" "$work/real" "$work/fake"
chmod 711 "$work/munge"   # the socket must be reachable; the key inside stays 0600

stop_daemons() {
  for pidfile in "$work/slurmd.pid" "$work/slurmctld.pid" "$work/munge/munged.pid"; do
    if [ -s "$pidfile" ]; then
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
}
show_logs() {
  for f in "$work"/log/* "$work"/out/*.log; do
    [ -f "$f" ] || continue
    printf '\n----- %s (last 40 lines) -----\n' "${f#"$work"/}" >&2
    tail -n 40 "$f" >&2
  done
}
on_exit() {
  status=$?
  stop_daemons
  if [ "$status" != 0 ]; then show_logs; say "kept $work for inspection"; else rm -rf "$work"; fi
  exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Inputs: the first images of the two fixture sets, linked (the fixtures are read in place, never copied).
for pair in "set_a real" "set_b fake"; do
  set -- $pair
  find "$fixtures/images/$1" -maxdepth 1 -name '*.png' | LC_ALL=C sort | head -n "$images_per_set" \
    | while read -r f; do ln -s "$f" "$work/$2/"; done
done
weights="$fixtures/weights/fid_inception.pth"

# munge with its own key and socket.
mungekey -c -k "$work/munge/munge.key" >/dev/null 2>&1 || mungekey -c -f -k "$work/munge/munge.key"
munged --key-file="$work/munge/munge.key" --socket="$work/munge/munge.socket" --pid-file="$work/munge/munged.pid" \
  --log-file="$work/log/munged.log" --seed-file="$work/munge/munged.seed" --force \
  || fail "munged did not start"

host=$(hostname -s)
port=$(( 20000 + RANDOM % 20000 ))
cpus=$(nproc)
cat > "$work/slurm.conf" <<CONF
ClusterName=genmetrics-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/munge.socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
PlugStackConfig=$work/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
SchedulerType=sched/builtin
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
DependencyParameters=kill_invalid_depend
ReturnToService=2
MinJobAge=600
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
: > "$work/plugstack.conf"
export SLURM_CONF="$work/slurm.conf"

slurmctld -c -f "$SLURM_CONF" || fail "slurmctld did not start"
slurmd -f "$SLURM_CONF" || fail "slurmd did not start"
for i in $(seq 60); do
  state=$(sinfo -h -N -o '%T' 2>/dev/null | head -n 1 || true)
  case "$state" in idle*|mix*|alloc*) break ;; esac
  [ "$i" = 60 ] && fail "the node did not come up within 30 s (state: ${state:-none})"
  sleep 0.5
done
say "cluster up: node $host ($cpus CPUs), ports $port/$((port + 1))"

# The array: each task writes its shard of the features (KID, PR/DC) and of the statistics (FID) of both sets.
out="$work/out"
common=(--weights "$weights" --quiet --shard auto)
cat > "$work/shard.sbatch" <<JOB
#!/usr/bin/env bash
#SBATCH --job-name=genmetrics-shard
#SBATCH --output=$out/shard-%a.log
#SBATCH --cpus-per-task=1
set -euo pipefail
i=\$SLURM_ARRAY_TASK_ID
for set in real fake; do
  "$cli" features "$work/\$set" --out "$out/\$set-features-\$i.npy" ${common[*]}
  "$cli" stats "$work/\$set" --out "$out/\$set-stats-\$i.npz" --no-cache ${common[*]}
done
JOB
cat > "$work/merge.sbatch" <<JOB
#!/usr/bin/env bash
#SBATCH --job-name=genmetrics-merge
#SBATCH --output=$out/merge.log
set -euo pipefail
for set in real fake; do
  "$cli" merge-features "$out/\$set"-features-*.npy --out "$out/\$set-features.npy"
  "$cli" merge-stats "$out/\$set"-stats-*.npz --out "$out/\$set-stats.npz"
done
"$cli" fid "$out/real-stats.npz" "$out/fake-stats.npz" --json > "$out/merged-fid.json"
"$cli" kid "$out/real-features.npy" "$out/fake-features.npy" --subsets 10 --subset-size 10 --json > "$out/merged-kid.json"
"$cli" prdc "$out/real-features.npy" "$out/fake-features.npy" --json > "$out/merged-prdc.json"
JOB

array=$(sbatch --parsable --array=0-3 "$work/shard.sbatch") || fail "sbatch of the array was refused"
merge=$(sbatch --parsable --dependency=afterok:"$array" "$work/merge.sbatch") || fail "sbatch of the merge job was refused"
say "submitted array job $array (4 shards) and merge job $merge (afterok)"

# Meanwhile, the single-process reference run.
for set in real fake; do
  "$cli" features "$work/$set" --out "$work/$set-features.npy" --weights "$weights" --quiet >/dev/null
  "$cli" stats "$work/$set-features.npy" --out "$work/$set-stats.npz" --quiet >/dev/null
done
"$cli" fid "$work/real-stats.npz" "$work/fake-stats.npz" --json > "$work/single-fid.json"
"$cli" kid "$work/real-features.npy" "$work/fake-features.npy" --subsets 10 --subset-size 10 --json > "$work/single-kid.json"
"$cli" prdc "$work/real-features.npy" "$work/fake-features.npy" --json > "$work/single-prdc.json"

deadline=$(( SECONDS + timeout_s ))
while :; do
  state=$(scontrol show job "$merge" -o 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
  reason=$(scontrol show job "$merge" -o 2>/dev/null | sed -n 's/.*Reason=\([^ ]*\).*/\1/p')
  case "$state" in
    COMPLETED) break ;;
    FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE) fail "merge job $merge ended $state (reason $reason)" ;;
  esac
  [ "$reason" = DependencyNeverSatisfied ] && fail "a shard of array job $array failed; merge job $merge can never run"
  [ "$SECONDS" -ge "$deadline" ] && fail "merge job $merge not done after ${timeout_s} s (state ${state:-unknown}, reason $reason)"
  sleep 1
done
say "merge job $merge completed"

# Same numbers: the merged feature matrices are the single-run ones byte for byte, so KID and PR/DC are identical;
# the merged statistics give FID within 1e-12 relative (the sums are added in another order).
for set in real fake; do
  cmp -s "$out/$set-features.npy" "$work/$set-features.npy" || fail "merged $set features differ from the single run"
  for i in 0 1 2 3; do [ -f "$out/$set-features-$i.npy.shard.json" ] || fail "shard $i of $set has no shard metadata"; done
done
json_number() { sed -n "s/.*\"$2\": *\([-0-9.eE+]*\).*/\1/p" "$1" | head -n 1; }
for key in kid_mean kid_std; do
  a=$(json_number "$out/merged-kid.json" "$key"); b=$(json_number "$work/single-kid.json" "$key")
  [ -n "$a" ] && [ "$a" = "$b" ] || fail "KID $key: merged '$a' vs single '$b'"
done
for key in precision recall density coverage; do
  a=$(json_number "$out/merged-prdc.json" "$key"); b=$(json_number "$work/single-prdc.json" "$key")
  [ -n "$a" ] && [ "$a" = "$b" ] || fail "$key: merged '$a' vs single '$b'"
done
a=$(json_number "$out/merged-fid.json" fid); b=$(json_number "$work/single-fid.json" fid)
[ -n "$a" ] && [ -n "$b" ] || fail "FID missing: merged '$a' vs single '$b'"
awk -v a="$a" -v b="$b" 'BEGIN { d = a - b; if (d < 0) d = -d; s = b < 0 ? -b : b; exit !(d <= 1e-12 * s) }' \
  || fail "FID: merged $a vs single $b (more than 1e-12 relative)"
say "PASS: 4 Slurm shards merged = one run (FID $a vs $b; KID, precision, recall, density, coverage identical; features byte-identical)"
