#!/bin/bash
# Installs Son of Grid Engine (Debian packages) if missing and starts a single-node cell on this machine:
# qmaster + execd, this host as admin/submit/exec host, queue all.q (4 slots, PE smp), a 1 s scheduler.
# Meant for Debian 12 as root without systemd (CI machines, containers). Idempotent: safe to re-run.
# Prints what it does; exits non-zero with a message when the cell does not answer.
# Usage: bash scripts/gridengine-up.sh        (then: export SGE_ROOT=/var/lib/gridengine SGE_CELL=default)
set -u

export SGE_ROOT=${SGE_ROOT:-/var/lib/gridengine}
export SGE_CELL=${SGE_CELL:-default}
SLOTS=${GRIDENGINE_SLOTS:-4}
PACKAGES="gridengine-master gridengine-exec gridengine-client gridengine-drmaa1.0 libdrmaa1.0-java"

UP_NAME=gridengine-up
. "$(dirname "$0")/up-common.sh"
require_root "it installs packages and starts the Grid Engine daemons"

# ---- 1. packages ----------------------------------------------------------------------------------
missing_packages $PACKAGES
if [ -n "$missing" ]; then
    for p in gridengine-common gridengine-client gridengine-exec gridengine-master; do
        printf '%s\n' "$p shared/gridengineconfig boolean true" \
            "$p shared/gridenginecell string default" \
            "$p shared/gridenginemaster string $HOST" | debconf-set-selections
    done
    install_missing /tmp/gridengine-up-apt.log
else
    say "packages already installed"
fi

# ---- 2. the cell ----------------------------------------------------------------------------------
COMMON=$SGE_ROOT/$SGE_CELL/common
if [ ! -f "$COMMON/bootstrap" ]; then
    say "creating cell $SGE_CELL in $SGE_ROOT"
    /usr/share/gridengine/scripts/init_cluster "$SGE_ROOT" "$SGE_CELL" /var/spool/gridengine/spooldb sgeadmin \
        </dev/null >/tmp/gridengine-up-init.log 2>&1 || die "init_cluster failed (log: /tmp/gridengine-up-init.log)"
fi
echo "$HOST" > "$COMMON/act_qmaster"

# The host name trap: hostname -> 127.0.0.1 -> reverse name "localhost" makes qmaster refuse every client.
ip=$(getent hosts "$HOST" | awk '{print $1; exit}')
rev=""
[ -n "$ip" ] && rev=$(getent hosts "$ip" | awk '{print $2; exit}')
aliases="$HOST"
for n in $rev localhost; do
    [ "$n" != "$HOST" ] && case " $aliases " in *" $n "*) ;; *) aliases="$aliases $n";; esac
done
if [ "$(cat "$COMMON/host_aliases" 2>/dev/null)" != "$aliases" ]; then
    say "writing $COMMON/host_aliases: $aliases"
    echo "$aliases" > "$COMMON/host_aliases"
fi

# ---- 3. daemons -----------------------------------------------------------------------------------
if alive /usr/lib/gridengine/sge_qmaster; then
    say "sge_qmaster already running"
else
    say "starting sge_qmaster"
    /usr/sbin/sge_qmaster </dev/null >/dev/null 2>&1
fi
wait_for 30 qconf -sh || die "sge_qmaster does not answer (qconf -sh) after 30 s; see /var/spool/gridengine/qmaster/messages"

# ---- 4. configuration (each step only when it differs) ---------------------------------------------
TMP=$(mktemp -d /tmp/gridengine-up.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

qconf -sh 2>/dev/null | grep -qx "$HOST" || { say "adding admin host $HOST"; qconf -ah "$HOST" >/dev/null 2>&1; }
qconf -ss 2>/dev/null | grep -qx "$HOST" || { say "adding submit host $HOST"; qconf -as "$HOST" >/dev/null 2>&1; }
if ! qconf -sel 2>/dev/null | grep -qx "$HOST"; then
    say "adding exec host $HOST"
    printf 'hostname %s\nload_scaling NONE\ncomplex_values NONE\nuser_lists NONE\nxuser_lists NONE\nprojects NONE\nxprojects NONE\nusage_scaling NONE\nreport_variables NONE\n' "$HOST" > "$TMP/exechost"
    qconf -Ae "$TMP/exechost" >/dev/null 2>&1 || die "qconf -Ae failed"
fi

# Global configuration: jobs from root (min_uid/min_gid 0), no login shells.
mkdir -p "$TMP/conf"
qconf -sconf global > "$TMP/conf/global.orig" 2>/dev/null || die "qconf -sconf global failed"
sed -e 's/^min_uid .*/min_uid                      0/' -e 's/^min_gid .*/min_gid                      0/' \
    -e 's/^login_shells .*/login_shells                 none/' "$TMP/conf/global.orig" | grep -v '^#' > "$TMP/conf/global"
if ! cmp -s <(grep -v '^#' "$TMP/conf/global.orig") "$TMP/conf/global"; then
    say "global config: min_uid 0, min_gid 0, login_shells none"
    qconf -Mconf "$TMP/conf/global" >/dev/null 2>&1 || die "qconf -Mconf global failed"
fi

# Scheduler: 1 s interval, no load adjustments.
qconf -ssconf > "$TMP/sconf.orig" || die "qconf -ssconf failed"
sed -e 's/^schedule_interval .*/schedule_interval                 0:0:1/' \
    -e 's/^flush_submit_sec .*/flush_submit_sec                  1/' \
    -e 's/^flush_finish_sec .*/flush_finish_sec                  1/' \
    -e 's/^job_load_adjustments .*/job_load_adjustments              NONE/' \
    -e 's/^load_adjustment_decay_time .*/load_adjustment_decay_time        0:0:0/' "$TMP/sconf.orig" > "$TMP/sconf"
if ! cmp -s "$TMP/sconf.orig" "$TMP/sconf"; then
    say "scheduler: schedule_interval 0:0:1, flush_submit_sec 1, flush_finish_sec 1, job_load_adjustments NONE"
    qconf -Msconf "$TMP/sconf" >/dev/null 2>&1 || die "qconf -Msconf failed"
fi

# Parallel environment smp (before the queue names it).
if ! qconf -spl 2>/dev/null | grep -qx smp; then
    say "adding parallel environment smp"
    printf 'pe_name smp\nslots 999\nuser_lists NONE\nxuser_lists NONE\nstart_proc_args /bin/true\nstop_proc_args /bin/true\nallocation_rule $pe_slots\ncontrol_slaves TRUE\njob_is_first_task TRUE\nurgency_slots min\naccounting_summary FALSE\nqsort_args NONE\n' > "$TMP/smp"
    qconf -Ap "$TMP/smp" >/dev/null 2>&1 || die "qconf -Ap smp failed"
fi

# Queue all.q.
queue_conf() {
    printf '%s\n' "qname all.q" "hostlist @allhosts" "seq_no 0" "load_thresholds NONE" "suspend_thresholds NONE" \
        "nsuspend 1" "suspend_interval 00:05:00" "priority 0" "min_cpu_interval 00:05:00" "processors UNDEFINED" \
        "qtype BATCH INTERACTIVE" "ckpt_list NONE" "pe_list smp" "rerun FALSE" "slots $SLOTS" "tmpdir /tmp" \
        "shell /bin/bash" "prolog NONE" "epilog NONE" "shell_start_mode posix_compliant" "starter_method NONE" \
        "suspend_method NONE" "resume_method NONE" "terminate_method NONE" "notify 00:00:60" "owner_list NONE" \
        "user_lists NONE" "xuser_lists NONE" "subordinate_list NONE" "complex_values NONE" "projects NONE" \
        "xprojects NONE" "calendar NONE" "initial_state default" "s_rt INFINITY" "h_rt INFINITY" "s_cpu INFINITY" \
        "h_cpu INFINITY" "s_fsize INFINITY" "h_fsize INFINITY" "s_data INFINITY" "h_data INFINITY" \
        "s_stack INFINITY" "h_stack INFINITY" "s_core INFINITY" "h_core INFINITY" "s_rss INFINITY" "h_rss INFINITY" \
        "s_vmem INFINITY" "h_vmem INFINITY"
}
if ! qconf -shgrp @allhosts >/dev/null 2>&1; then
    say "adding host group @allhosts"
    printf 'group_name @allhosts\nhostlist %s\n' "$HOST" > "$TMP/allhosts"
    qconf -Ahgrp "$TMP/allhosts" >/dev/null 2>&1 || die "qconf -Ahgrp failed"
elif ! qconf -shgrp @allhosts | grep -qw "$HOST"; then
    say "adding $HOST to @allhosts"
    qconf -aattr hostgroup hostlist "$HOST" @allhosts >/dev/null
fi
queue_conf > "$TMP/all.q"
if ! qconf -sql 2>/dev/null | grep -qx all.q; then
    say "adding queue all.q ($SLOTS slots, pe_list smp)"
    qconf -Aq "$TMP/all.q" >/dev/null 2>&1 || die "qconf -Aq all.q failed"
else
    current=$(qconf -sq all.q 2>/dev/null | awk '$1=="slots"||$1=="load_thresholds"||$1=="pe_list"||$1=="shell"||$1=="shell_start_mode"||$1=="hostlist"{print $1, $2}' | sort)
    wanted=$(awk '$1=="slots"||$1=="load_thresholds"||$1=="pe_list"||$1=="shell"||$1=="shell_start_mode"||$1=="hostlist"{print $1, $2}' "$TMP/all.q" | sort)
    if [ "$current" != "$wanted" ]; then
        say "updating queue all.q ($SLOTS slots, pe_list smp, no load thresholds)"
        qconf -Mq "$TMP/all.q" >/dev/null 2>&1 || die "qconf -Mq all.q failed"
    fi
fi

if alive /usr/lib/gridengine/sge_execd; then
    say "sge_execd already running"
else
    say "starting sge_execd"
    /usr/sbin/sge_execd </dev/null >/dev/null 2>&1
fi

# ---- 5. does the queue take jobs? ------------------------------------------------------------------
queue_ok() { # the queue instance is listed with no state (u, E, d, a ...)
    qstat -f -q "all.q@$HOST" 2>/dev/null | awk -v q="all.q@$HOST" '$1==q {found=1; if (NF>=6) bad=1} END {exit !(found && !bad)}'
}
if ! wait_for 20 queue_ok; then
    say "queue all.q@$HOST is not usable yet; clearing error/disabled states"
    qmod -c "all.q@$HOST" >/dev/null 2>&1; qmod -e "all.q@$HOST" >/dev/null 2>&1
    wait_for 20 queue_ok || { qstat -f >&2; die "queue all.q@$HOST does not become usable (see qstat -f above, /var/spool/gridengine/execd/$HOST/messages)"; }
fi
start=$(date +%s%N)
out=$(cd /tmp && timeout 60 qsub -sync y -b y -N gridengine-up-check -o /dev/null -e /dev/null /bin/true 2>&1) \
    || die "the cell does not run jobs: qsub -sync y /bin/true gave: $out"
say "cell up: a test job ran in $(( ($(date +%s%N) - start) / 1000000 )) ms; SGE_ROOT=$SGE_ROOT SGE_CELL=$SGE_CELL"

# DRMAA: System.loadLibrary("drmaa") needs libdrmaa.so beside libdrmaa.so.1.0.
lib=/usr/lib/gridengine-drmaa/lib
if [ -e "$lib/libdrmaa.so.1.0" ] && [ ! -e "$lib/libdrmaa.so" ]; then
    ln -s libdrmaa.so.1.0 "$lib/libdrmaa.so" && say "linked $lib/libdrmaa.so -> libdrmaa.so.1.0"
fi
exit 0
