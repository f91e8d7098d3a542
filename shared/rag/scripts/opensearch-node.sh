#!/usr/bin/env bash
# A single-node OpenSearch with the k-NN plugin, on 127.0.0.1, for the *IT tests and the retrieval bench.
#
#   opensearch-node.sh start [--port N] [--run-dir DIR] [--watch PID]   prints the node's URL as its last line
#   opensearch-node.sh stop  [--port N | --run-dir DIR]
#
# The distribution and the plugin are the zips that the build of shared/rag copies to target/opensearch
# (./mvnw -pl shared/rag generate-test-resources); the first start unzips the distribution there and installs the
# plugin. Each node keeps its config, data, logs and pid file in its run dir (default target/opensearch/node-PORT).
# OpenSearch refuses to run as root: as root, the node runs as the system user steward-opensearch (created on
# first use); as anyone else, as that user. --port 0 (the default) picks a free port. With --watch PID, a small
# background watcher stops the node when process PID ends, so a killed test JVM cannot leave a node behind.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULE="$(dirname "$HERE")"
REPO="$(cd "$MODULE/../.." && pwd)"
DIST="$MODULE/target/opensearch"
HOME_DIR="$DIST/opensearch-3.6.0"
NODE_USER=steward-opensearch
HEAP="${STEWARD_OPENSEARCH_HEAP:-512m}"
START_TIMEOUT="${STEWARD_OPENSEARCH_START_TIMEOUT:-180}"

die() { echo "opensearch-node: $*" >&2; exit 1; }

usage() { sed -n '4,5p' "$0" | sed 's/^# *//' >&2; exit 2; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_port() {
  local p i
  for i in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    port_free "$p" && port_free "$((p + 1))" && { echo "$p"; return 0; }
  done
  die "no free port found"
}

install_node() {
  [ -f "$DIST/opensearch.zip" ] && [ -f "$DIST/opensearch-knn.zip" ] \
    || die "missing $DIST/opensearch.zip or opensearch-knn.zip; run: ./mvnw -pl shared/rag generate-test-resources"
  (
    flock 9
    if [ ! -f "$HOME_DIR/.installed" ]; then
      rm -rf "$HOME_DIR"
      unzip -q "$DIST/opensearch.zip" -d "$DIST"
      OPENSEARCH_JAVA_HOME="$JAVA_HOME" "$HOME_DIR/bin/opensearch-plugin" install --batch \
        "file://$DIST/opensearch-knn.zip" >"$DIST/plugin-install.log" 2>&1 \
        || die "installing the k-NN plugin failed, see $DIST/plugin-install.log"
      chmod -R a+rX "$HOME_DIR"
      touch "$HOME_DIR/.installed"
    fi
  ) 9>"$DIST/.install.lock"
}

# Runs a command as the node's user when we are root (OpenSearch refuses root), else as ourselves.
as_node_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$NODE_USER" -- "$@"
  else
    "$@"
  fi
}

health_ok() {
  local body
  body="$(curl -fsS "http://127.0.0.1:$1/_cluster/health" 2>/dev/null)" || return 1
  case "$body" in *'"status":"green"'* | *'"status":"yellow"'*) return 0 ;; *) return 1 ;; esac
}

start() {
  local port=0 run_dir="" watch=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) port="$2"; shift 2 ;;
      --run-dir) run_dir="$2"; shift 2 ;;
      --watch) watch="$2"; shift 2 ;;
      *) usage ;;
    esac
  done
  command -v curl >/dev/null || die "curl is required"
  . "$REPO/.mvn/find-jdk.sh"
  [ "$port" = 0 ] && port="$(pick_port)"
  port_free "$port" || die "port $port on 127.0.0.1 is in use"
  run_dir="${run_dir:-$DIST/node-$port}"
  install_node
  if [ "$(id -u)" -eq 0 ] && ! id "$NODE_USER" >/dev/null 2>&1; then
    useradd -r -M -s /usr/sbin/nologin "$NODE_USER" 2>/dev/null || id "$NODE_USER" >/dev/null
  fi
  [ -f "$run_dir/opensearch.pid" ] && kill -0 "$(cat "$run_dir/opensearch.pid")" 2>/dev/null \
    && die "a node already runs from $run_dir"
  rm -rf "$run_dir/config"
  mkdir -p "$run_dir/data" "$run_dir/logs" "$run_dir/tmp"
  cp -r "$HOME_DIR/config" "$run_dir/config"
  # The stock jvm.options write GC logs, heap dumps and crash files relative to the install dir, which is read-only
  # for the node's user.
  sed -i -e "s#file=logs/#file=$run_dir/logs/#" -e "s#HeapDumpPath=data#HeapDumpPath=$run_dir/data#" \
    -e "s#ErrorFile=logs/#ErrorFile=$run_dir/logs/#" "$run_dir/config/jvm.options"
  [ "$(id -u)" -eq 0 ] && chown -R "$NODE_USER:" "$run_dir"
  (
    cd "$HOME_DIR"
    as_node_user env OPENSEARCH_JAVA_HOME="$JAVA_HOME" OPENSEARCH_PATH_CONF="$run_dir/config" \
      OPENSEARCH_TMPDIR="$run_dir/tmp" \
      OPENSEARCH_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP -XX:TieredStopAtLevel=1 -XX:-AlwaysPreTouch" \
      "$HOME_DIR/bin/opensearch" -d -p "$run_dir/opensearch.pid" \
      -Ediscovery.type=single-node -Enetwork.host=127.0.0.1 -Ehttp.port="$port" -Etransport.port="$((port + 1))" \
      -Epath.data="$run_dir/data" -Epath.logs="$run_dir/logs" \
      -Ecluster.routing.allocation.disk.threshold_enabled=false -Enode.name="steward-$port" \
      >"$run_dir/logs/stdout.log" 2>&1
  ) || { tail -n 30 "$run_dir/logs/stdout.log" >&2; die "the node did not start, see $run_dir/logs"; }
  local waited=0
  until health_ok "$port"; do
    if [ ! -f "$run_dir/opensearch.pid" ] && [ "$waited" -gt 10 ] \
        || { [ -f "$run_dir/opensearch.pid" ] && ! kill -0 "$(cat "$run_dir/opensearch.pid")" 2>/dev/null; }; then
      tail -n 30 "$run_dir/logs/stdout.log" >&2
      stop_dir "$run_dir"
      die "the node exited during start-up, see $run_dir/logs"
    fi
    if [ "$waited" -ge "$START_TIMEOUT" ]; then
      stop_dir "$run_dir"
      die "the node was not healthy within $START_TIMEOUT s, see $run_dir/logs"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  if [ -n "$watch" ]; then
    nohup bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 2; done; exec "$2" stop --run-dir "$3"' \
      watcher "$watch" "$HERE/opensearch-node.sh" "$run_dir" >/dev/null 2>&1 &
  fi
  echo "OpenSearch is up in ${waited} s; stop it with: $0 stop --run-dir $run_dir" >&2
  echo "http://127.0.0.1:$port"
}

stop_dir() {
  local run_dir="$1" pid waited=0
  [ -f "$run_dir/opensearch.pid" ] || return 0
  pid="$(cat "$run_dir/opensearch.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 30 ]; do sleep 1; waited=$((waited + 1)); done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$run_dir/opensearch.pid"
}

stop() {
  local run_dir=""
  case "${1:-}" in
    --port) run_dir="$DIST/node-$2" ;;
    --run-dir) run_dir="$2" ;;
    *) usage ;;
  esac
  stop_dir "$run_dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) usage ;;
esac
