#!/bin/bash
# Starts the real OpenSSH servers the SSH backend's end-to-end tests run against (issue 6).
#
#   bash scripts/sshd-up.sh          # idempotent: a second run keeps running servers
#   bash scripts/sshd-up.sh --stop   # stops both servers and removes the network namespace
#
# Everything lives in one project-owned directory outside /tmp (StrictModes rejects key files under a
# world-writable parent) and outside the repository (so `mvn clean` or `git clean` leaves it alone):
#   ${JPARALLEL_SSHD_DIR:-/var/lib/jparallel-sshd}/
#     ssh_host_ed25519_key{,.pub}   the servers' host key
#     client/id_ed25519{,.pub}      the user key, authorized for root and for the second user
#     authorized_keys/<user>        AuthorizedKeysFile of both servers (root-owned, 0644)
#     known_hosts                   the host key for every address below, for the tests' known_hosts
#     sshd_config sshd.pid sshd.log                   server 1: 127.0.0.1 (and ::1) port $PORT
#     sshd-netns_config sshd-netns.pid sshd-netns.log server 2: $NS_ADDR port $PORT inside the network
#                                                     namespace $NS (for tunnel mode: nothing in there
#                                                     can reach the manager's loopback)
# A second unix user ($WORKER_USER, shell /bin/sh, home /home/$WORKER_USER) who cannot read root's files
# (~/.m2 is under /root, mode 0700) is made for the "shipped jars" test.
#
# Needs root. Exits non-zero with a message when a server does not answer.
set -euo pipefail

DIR=${JPARALLEL_SSHD_DIR:-/var/lib/jparallel-sshd}
PORT=${JPARALLEL_SSHD_PORT:-2222}
WORKER_USER=${JPARALLEL_SSHD_USER:-jpworker}
NS=jparallel-ssh
NS_HOST_IF=jpssh-host
NS_IF=jpssh-ns
HOST_ADDR=10.231.77.1
NS_ADDR=10.231.77.2
SSHD=/usr/sbin/sshd

die() { echo "sshd-up: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (it installs packages, adds a user and starts sshd)"

# A daemon counts as running when its pid file names a live, non-zombie sshd process.
running() {
    local pidfile=$1 pid state
    [ -s "$pidfile" ] || return 1
    pid=$(cat "$pidfile")
    [ -d "/proc/$pid" ] || return 1
    state=$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$state" ] && [ "$state" != Z ] || return 1
    [ "$(readlink "/proc/$pid/exe" 2>/dev/null || true)" = "$SSHD" ]
}

stop_one() {
    local pidfile=$1
    if running "$pidfile"; then
        kill "$(cat "$pidfile")" 2>/dev/null || true
        for _ in $(seq 50); do running "$pidfile" || break; sleep 0.1; done
    fi
    rm -f "$pidfile"
}

if [ "${1:-}" = "--stop" ]; then
    stop_one "$DIR/sshd.pid"
    stop_one "$DIR/sshd-netns.pid"
    ip link del "$NS_HOST_IF" 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
    echo "sshd-up: stopped"
    exit 0
fi

# ---- packages ------------------------------------------------------------------------------------
if [ ! -x "$SSHD" ] || ! command -v ssh-keygen >/dev/null || ! command -v ssh >/dev/null; then
    echo "sshd-up: installing openssh-server and openssh-client"
    made_policy=
    if [ ! -e /usr/sbin/policy-rc.d ]; then  # keep the package from starting a daemon on port 22
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -o DPkg::Lock::Timeout=300 openssh-server openssh-client >/dev/null \
        || { apt-get update >/dev/null && apt-get install -y -o DPkg::Lock::Timeout=300 openssh-server openssh-client >/dev/null; } \
        || die "apt-get install openssh-server failed"
    [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
fi
[ -x "$SSHD" ] || die "$SSHD missing after install"
# the network namespace needs ip; the tests use pgrep and runuser
command -v ip >/dev/null || apt-get install -y -o DPkg::Lock::Timeout=300 iproute2 >/dev/null || true
command -v pgrep >/dev/null || apt-get install -y -o DPkg::Lock::Timeout=300 procps >/dev/null || true

# ---- files and keys ------------------------------------------------------------------------------
install -d -m 0755 -o root -g root "$DIR" "$DIR/authorized_keys"
install -d -m 0700 -o root -g root "$DIR/client"
install -d -m 0755 /run/sshd
[ -s "$DIR/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C "jparallel-sshd host key" -f "$DIR/ssh_host_ed25519_key"
[ -s "$DIR/client/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C "jparallel test user key" -f "$DIR/client/id_ed25519"
chmod 600 "$DIR/ssh_host_ed25519_key" "$DIR/client/id_ed25519"

# ---- the second user -----------------------------------------------------------------------------
if ! id "$WORKER_USER" >/dev/null 2>&1; then
    useradd -m -s /bin/sh "$WORKER_USER"
fi
# UsePAM no refuses a locked account ('!' password) even for keys: '*' means no password, not locked.
usermod -p '*' "$WORKER_USER"
for u in root "$WORKER_USER"; do
    install -m 0644 -o root -g root "$DIR/client/id_ed25519.pub" "$DIR/authorized_keys/$u"
done

hostkey=$(awk '{print $1" "$2}' "$DIR/ssh_host_ed25519_key.pub")
{
    echo "[127.0.0.1]:$PORT $hostkey"
    echo "[localhost]:$PORT $hostkey"
    echo "[::1]:$PORT $hostkey"
    echo "[$NS_ADDR]:$PORT $hostkey"
} > "$DIR/known_hosts"
chmod 644 "$DIR/known_hosts"

write_config() {  # $1 file, $2.. listen addresses, last: pid file
    local file=$1 pidfile=$2; shift 2
    {
        for a in "$@"; do echo "ListenAddress $a"; done
        cat <<EOF
Port $PORT
HostKey $DIR/ssh_host_ed25519_key
PidFile $pidfile
AuthorizedKeysFile $DIR/authorized_keys/%u
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes yes
MaxStartups 100:30:200
MaxSessions 100
AllowTcpForwarding yes
GatewayPorts no
PrintMotd no
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
    } > "$file.new"
    if cmp -s "$file.new" "$file"; then rm "$file.new"; return 1; fi
    mv "$file.new" "$file"
    return 0
}

# Tries a real login as both users; returns 0 when both work.
answers() {
    local addr=$1 u
    for u in root "$WORKER_USER"; do
        timeout 10 ssh -n -o BatchMode=yes -o ConnectTimeout=3 -o UserKnownHostsFile="$DIR/known_hosts" \
            -o StrictHostKeyChecking=yes -o GlobalKnownHostsFile=/dev/null -F /dev/null \
            -i "$DIR/client/id_ed25519" -p "$PORT" "$u@$addr" true >/dev/null 2>&1 || return 1
    done
}

start_sshd() {  # $1 config, $2 pid file, $3 log, $4 address to check, $5.. command prefix (netns exec)
    local conf=$1 pidfile=$2 log=$3 addr=$4 changed=$5; shift 5
    "$SSHD" -t -f "$conf" || die "sshd rejects its configuration $conf"
    if running "$pidfile" && [ "$changed" = 0 ] && answers "$addr"; then
        echo "sshd-up: sshd already running on $addr:$PORT (pid $(cat "$pidfile"))"
        return 0
    fi
    stop_one "$pidfile"
    : > "$log"
    "$@" "$SSHD" -f "$conf" -E "$log" </dev/null >/dev/null 2>&1
    for _ in $(seq 50); do answers "$addr" && break; sleep 0.1; done
    answers "$addr" || die "sshd on $addr:$PORT does not answer (log $log):
$(tail -20 "$log")"
    echo "sshd-up: started sshd on $addr:$PORT (pid $(cat "$pidfile"))"
}

changed=0
write_config "$DIR/sshd_config" "$DIR/sshd.pid" 127.0.0.1 ::1 && changed=1
start_sshd "$DIR/sshd_config" "$DIR/sshd.pid" "$DIR/sshd.log" 127.0.0.1 "$changed"

# ---- server 2 in a network namespace, for tunnel mode ------------------------------------------
ns_ok=1
if ! ip netns list 2>/dev/null | grep -qw "$NS"; then
    if ip netns add "$NS" 2>/dev/null \
        && ip link add "$NS_HOST_IF" type veth peer name "$NS_IF" netns "$NS" \
        && ip addr add "$HOST_ADDR/30" dev "$NS_HOST_IF" && ip link set "$NS_HOST_IF" up \
        && ip netns exec "$NS" ip addr add "$NS_ADDR/30" dev "$NS_IF" \
        && ip netns exec "$NS" ip link set "$NS_IF" up \
        && ip netns exec "$NS" ip link set lo up; then
        echo "sshd-up: made network namespace $NS ($NS_ADDR, reached from $HOST_ADDR)"
    else
        ns_ok=0
        ip link del "$NS_HOST_IF" 2>/dev/null || true
        ip netns del "$NS" 2>/dev/null || true
    fi
fi
if [ "$ns_ok" = 1 ]; then
    changed=0
    write_config "$DIR/sshd-netns_config" "$DIR/sshd-netns.pid" "$NS_ADDR" && changed=1
    start_sshd "$DIR/sshd-netns_config" "$DIR/sshd-netns.pid" "$DIR/sshd-netns.log" "$NS_ADDR" "$changed" \
        ip netns exec "$NS"
else
    echo "sshd-up: WARNING: cannot make network namespace $NS (no ip netns here?); the tunnel-mode test will" >&2
    echo "sshd-up: WARNING: skip outside CI and fail in CI" >&2
fi

cat <<EOF
sshd-up: ready
  port          $PORT  (127.0.0.1, localhost; tunnel-mode server: $NS_ADDR in network namespace $NS)
  users         root, $WORKER_USER
  identity      $DIR/client/id_ed25519
  known_hosts   $DIR/known_hosts
  logs          $DIR/sshd.log $DIR/sshd-netns.log
EOF
