# Steps shared by the scripts that start a real scheduler on this machine (gridengine-up.sh, slurm-up.sh).
# Sourced, not run. The sourcing script sets UP_NAME (its name in messages) first.
# Gives: say, die, require_root WHY (sets HOST), missing_packages PKG... (sets missing),
# install_missing LOG (installs $missing with the daemons kept from starting; dies with the log's tail),
# alive BINARY (is a daemon running it), wait_for SECONDS COMMAND... (until the command succeeds).

say() { echo "$UP_NAME: $*"; }
die() { echo "$UP_NAME: ERROR: $*" >&2; exit 1; }

# Dies unless run as root (WHY says what needs root); sets HOST to this machine's name.
require_root() {
    [ "$(id -u)" = 0 ] || die "must run as root ($1)"
    HOST=$(hostname)
    [ -n "$HOST" ] || die "hostname is empty"
}

# Sets missing to the packages (each after a space) that dpkg does not list as installed.
missing_packages() {
    missing=""
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
    done
}

# Installs $missing (apt-get update and a retry when the first try fails), logging to LOG. Package
# post-install scripts are kept from starting daemons: the sourcing script starts them its own way.
install_missing() {
    local log=$1 made_policy=""
    say "installing:$missing"
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && made_policy=1
    fi
    if ! apt_install >"$log" 2>&1; then
        say "apt-get install failed; running apt-get update and retrying"
        apt-get update -q -o DPkg::Lock::Timeout=300 >>"$log" 2>&1
        apt_install >>"$log" 2>&1 || { [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d;
            tail -20 "$log" >&2; die "apt-get install$missing failed (log: $log)"; }
    fi
    [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
    return 0
}

apt_install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=300 $missing
}

# A daemon is alive when some /proc/PID/exe is its binary and it is not a zombie (PID 1 reaps slowly here).
# BINARY may be a link (Slurm's slurmctld/slurmd are alternatives links to slurmctld-wlm/slurmd-wlm).
alive() {
    local bin d
    bin=$(readlink -f "$1")
    for d in /proc/[0-9]*; do
        [ "$(readlink "$d/exe" 2>/dev/null)" = "$bin" ] || continue
        grep -q '^State:[[:space:]]*Z' "$d/status" 2>/dev/null || return 0
    done
    return 1
}

# Runs COMMAND every 0.1 s until it succeeds (returns 0) or SECONDS have passed (returns 1).
wait_for() { # seconds command...
    local n=$(( $1 * 10 )); shift
    while [ $n -gt 0 ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; n=$((n - 1)); done
    return 1
}
