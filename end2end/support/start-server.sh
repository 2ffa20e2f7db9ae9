#!/usr/bin/env bash
# Started by Playwright (webServer in playwright.config.ts): a test SMTP server that keeps every
# message in a Maildir, then Staffgate on a fresh data folder, both on loopback ports chosen by
# the config. On SIGTERM (Playwright's shutdown) or any exit, both stop and the folder goes.
#
# Needs STAFFGATE_E2E_DIR, STAFFGATE_E2E_HTTP_PORT and STAFFGATE_E2E_SMTP_PORT; with
# STAFFGATE_E2E_RUNNER_PID it also stops when that process is gone (a killed test run).
set -euo pipefail
cd "$(dirname "$0")/../.."

work=${STAFFGATE_E2E_DIR:?set by playwright.config.ts}
http_port=${STAFFGATE_E2E_HTTP_PORT:?set by playwright.config.ts}
smtp_port=${STAFFGATE_E2E_SMTP_PORT:?set by playwright.config.ts}
binary=target/debug/staffgate

if [[ ! -x $binary || ! -f target/site/pkg/staffgate.wasm ]]; then
  echo "start-server: $binary or target/site is missing; run scripts/build-site first" >&2
  exit 1
fi
if [[ -e $work ]]; then
  echo "start-server: $work already exists; is another run using it?" >&2
  exit 1
fi

smtp_pid=
server_pid=
watchdog_pid=
stop() {
  trap - EXIT INT TERM
  set +e
  for pid in $server_pid $smtp_pid $watchdog_pid; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  rm -rf "$work"
  exit "$1"
}
trap 'stop $?' EXIT
trap 'stop 0' INT TERM

mkdir -m 700 "$work"
mkdir "$work/data"
# Debian's aiosmtpd belongs to Debian's Python, whatever python3 comes first on PATH.
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox \
  "$work/maildir" \
  >"$work/smtp.log" 2>&1 &
smtp_pid=$!
smtp_up() { (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null; }
for _ in $(seq 100); do
  smtp_up && break
  kill -0 "$smtp_pid" 2>/dev/null || break
  sleep 0.1
done
if ! smtp_up; then
  echo "start-server: the test SMTP server did not start on port $smtp_port:" >&2
  cat "$work/smtp.log" >&2
  exit 1
fi

if [[ -n ${STAFFGATE_E2E_RUNNER_PID:-} ]]; then
  script_pid=$$
  (
    while kill -0 "$STAFFGATE_E2E_RUNNER_PID" 2>/dev/null; do sleep 2; done
    kill -TERM "$script_pid" 2>/dev/null
  ) >/dev/null 2>&1 &
  watchdog_pid=$!
fi

export STAFFGATE_DATA_DIR="$work/data"
export STAFFGATE_SMTP_URL="smtp://127.0.0.1:$smtp_port"
export STAFFGATE_MAIL_FROM="Staffgate tests <staffgate@e2e.test>"
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_ADDR="127.0.0.1:$http_port"
# Only warnings reach the test output (not tower-sessions' note on every cookie of a session
# the tests ended); STAFFGATE_E2E_LOG=staffgate=debug shows every step.
export RUST_LOG="${STAFFGATE_E2E_LOG:-staffgate=warn,tower_sessions_core=error,warn}"
# The tests create their own users (support/cli.ts), a fresh set for each test.
"$binary" serve &
server_pid=$!
wait "$server_pid"
