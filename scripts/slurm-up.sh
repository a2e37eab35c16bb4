#!/bin/bash
# Installs Slurm (Debian packages slurmctld slurmd slurm-client munge) if missing and starts a single-node
# cluster on this machine: munged, slurmctld, slurmd; one node (this host, 4 CPUs) in partition "debug".
# Meant for Debian 12 as root without systemd (CI machines, containers). Idempotent: safe to re-run.
# Never removes packages (removing munge's libmunge2 silently removes Grid Engine too).
# Slurm listens on 6817/6818 (Grid Engine on 6444/6445), so both run side by side.
# Prints what it does; exits non-zero with a message when the cluster does not run a job.
# Usage: bash scripts/slurm-up.sh
set -u

PACKAGES="munge slurm-client slurmctld slurmd"
CPUS=${SLURM_CPUS:-4}
CONF=/etc/slurm/slurm.conf
LOGDIR=/var/log/slurm

UP_NAME=slurm-up
. "$(dirname "$0")/up-common.sh"
require_root "it installs packages and starts munged, slurmctld and slurmd"

# ---- 1. packages ----------------------------------------------------------------------------------
missing_packages $PACKAGES
if [ -n "$missing" ]; then
    install_missing /tmp/slurm-up-apt.log
else
    say "packages already installed"
fi

# ---- 2. munge -------------------------------------------------------------------------------------
if [ ! -s /etc/munge/munge.key ]; then
    say "creating /etc/munge/munge.key"
    mkdir -p /etc/munge
    if command -v mungekey >/dev/null; then
        mungekey --create --keyfile=/etc/munge/munge.key >/dev/null 2>&1 || die "mungekey --create failed"
    else
        dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null || die "cannot write the munge key"
    fi
fi
chown munge:munge /etc/munge /etc/munge/munge.key && chmod 700 /etc/munge && chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/lib/munge /var/log/munge
chown munge:munge /run/munge /var/lib/munge /var/log/munge && chmod 755 /run/munge
if alive /usr/sbin/munged && munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    say "munged already running"
else
    say "starting munged"
    rm -f /run/munge/munge.socket.2 /run/munge/munged.pid
    runuser -u munge -- /usr/sbin/munged </dev/null >/dev/null 2>&1 || die "munged did not start (see /var/log/munge/munged.log)"
fi
check_munge() { munge -n | unmunge; }
wait_for 10 check_munge || die "munge -n | unmunge fails (see /var/log/munge/munged.log)"

# ---- 3. slurm.conf --------------------------------------------------------------------------------
mkdir -p /etc/slurm /run/slurm /var/lib/slurm/slurmctld /var/lib/slurm/slurmd "$LOGDIR"
memory=$(slurmd -C 2>/dev/null | tr ' ' '\n' | sed -n 's/^RealMemory=//p' | head -1)
[ -n "$memory" ] || die "slurmd -C printed no RealMemory"
TMP=$(mktemp -d /tmp/slurm-up.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cat > "$TMP/slurm.conf" <<EOF
# Written by jparallel's scripts/slurm-up.sh: a single-node test cluster, no cgroups, no accounting.
ClusterName=jparallel
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=$LOGDIR/slurmctld.log
SlurmdLogFile=$LOGDIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=bf_interval=1,sched_interval=2
SlurmdParameters=config_overrides
ReturnToService=2
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
changed=""
if ! cmp -s "$TMP/slurm.conf" "$CONF"; then
    say "writing $CONF (node $HOST, $CPUS CPUs, RealMemory=$memory, partition debug)"
    cp "$TMP/slurm.conf" "$CONF" && chmod 644 "$CONF"
    changed=1
fi

# ---- 4. daemons -----------------------------------------------------------------------------------
if alive /usr/sbin/slurmctld; then
    if [ -n "$changed" ]; then say "reconfiguring slurmctld"; scontrol reconfigure >/dev/null 2>&1; fi
    say "slurmctld already running"
else
    say "starting slurmctld"
    /usr/sbin/slurmctld </dev/null >/dev/null 2>&1 || die "slurmctld did not start (see $LOGDIR/slurmctld.log)"
fi
wait_for 30 scontrol ping || die "slurmctld does not answer scontrol ping after 30 s (see $LOGDIR/slurmctld.log)"
if alive /usr/sbin/slurmd; then
    say "slurmd already running"
else
    say "starting slurmd"
    /usr/sbin/slurmd </dev/null >/dev/null 2>&1 || die "slurmd did not start (see $LOGDIR/slurmd.log)"
fi

# ---- 5. is the node idle, does a job run? ---------------------------------------------------------
node_state() { sinfo -h -N -n "$HOST" -o %T 2>/dev/null | head -1; }
node_usable() { case "$(node_state)" in idle*|mixed*|allocated*) return 0;; *) return 1;; esac; }
if ! wait_for 20 node_usable; then
    say "node $HOST is $(node_state); resuming it"
    scontrol update NodeName="$HOST" State=RESUME >/dev/null 2>&1
    wait_for 20 node_usable || { sinfo -N -l >&2; die "node $HOST does not become idle (state $(node_state); see $LOGDIR/slurmd.log and sinfo -R)"; }
fi
start=$(date +%s%N)
out=$(cd /tmp && timeout 60 sbatch --wait --quiet -J slurm-up-check -o /dev/null -e /dev/null --wrap=true 2>&1) \
    || die "the cluster does not run jobs: sbatch --wait --wrap=true gave: ${out:-exit code $?} (see $LOGDIR/slurmctld.log)"
say "cluster up: node $HOST $(node_state); a test job ran in $(( ($(date +%s%N) - start) / 1000000 )) ms"
exit 0
