#!/usr/bin/env bash
# Run a real Neo4j 5.26 (community) server locally without Docker (CI and developers).
# The server is scripts/neo4j-server (embedded Neo4j DBMS + Bolt, APOC core), built with Maven.
#
# Usage: scripts/neo4j-local.sh start|stop|restart|status|kill|build|log|import DIR
#   start    build if needed, start in background, wait for Bolt, print bolt://127.0.0.1:PORT
#   import DIR  bulk-import DIR (written by `mechgraph export --format neo4j-admin DIR`) with
#            Neo4j's own import tool into a FRESH data dir, start the server on it, run the
#            folder's after-import.cypher once, and print the URI. Refuses when the server of
#            this port is running or the data dir already holds databases.
#   stop     clean shutdown (SIGTERM, SIGKILL after NEO4J_STOP_TIMEOUT s); exit 0 if not running
#   restart  stop then start
#   status   "running bolt://127.0.0.1:PORT (pid N)" (exit 0) or "stopped" (exit 3)
#   kill     SIGKILL the server at once, no clean shutdown (crash tests)
#   build    (re)build the Maven project
#   log      print the path of the server log
#
# Environment:
#   NEO4J_BOLT_PORT       Bolt port on 127.0.0.1 (default 7687); one server per port
#   NEO4J_HTTP_PORT       HTTP API port on 127.0.0.1 (default: HTTP off)
#   NEO4J_DATA_DIR        Neo4j home/data dir, persists across stop/start
#                         (default $MECHGRAPH_NEO4J_HOME/bolt-PORT/data)
#   MECHGRAPH_NEO4J_HOME  state dir for pid/log/data (default ~/.cache/mechgraph-neo4j)
#   NEO4J_HEAP            JVM heap (default 2g);  NEO4J_PAGECACHE page cache (default 512m)
#   NEO4J_GC_OPTS         JVM garbage collector (default -XX:+UseParallelGC: a throughput collector
#                         for this dev/CI server; bulk loads ran ~25% faster than with G1, Neo4j's
#                         production default, which bounds pauses and costs CPU in concurrent marking)
#   NEO4J_START_TIMEOUT   seconds to wait for Bolt (default 180)
#   NEO4J_STOP_TIMEOUT    seconds to wait for clean shutdown before SIGKILL (default 30)
#   NEO4J_JAVA_OPTS       extra JVM options
#   NEO4J_IMPORT_DIR      the only folder LOAD CSV file URLs reach (default $DATA_DIR/import):
#                         file:///x.csv means that folder's x.csv, never a file elsewhere
#   NEO4J_APOC_FILES      true: APOC may read and write files (inside the import folder); default false
#   NEO4J_ALLOW_NETWORK   true: LOAD CSV and APOC may fetch http(s) URLs; default false (every
#                         address is on Neo4j's Cypher URL block list)
# Auth is disabled: clients may use any basic auth (e.g. neo4j/password) or none.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SERVER_DIR="$SCRIPT_DIR/neo4j-server"
TARGET="$SERVER_DIR/target"
JAR="$TARGET/neo4j-server.jar"
MAIN_CLASS="mechgraph.Neo4jServer"

PORT="${NEO4J_BOLT_PORT:-7687}"
HTTP_PORT="${NEO4J_HTTP_PORT:-0}"
STATE_HOME="${MECHGRAPH_NEO4J_HOME:-${HOME:-/tmp}/.cache/mechgraph-neo4j}"
RUN_DIR="$STATE_HOME/bolt-$PORT"
DATA_DIR="${NEO4J_DATA_DIR:-$RUN_DIR/data}"
PID_FILE="$RUN_DIR/neo4j.pid"
LOG_FILE="$RUN_DIR/neo4j.log"
HEAP="${NEO4J_HEAP:-2g}"
PAGECACHE="${NEO4J_PAGECACHE:-512m}"
START_TIMEOUT="${NEO4J_START_TIMEOUT:-180}"
STOP_TIMEOUT="${NEO4J_STOP_TIMEOUT:-30}"
URI="bolt://127.0.0.1:$PORT"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

die() { echo "neo4j-local: $*" >&2; exit 1; }

# pid of our server for this port, or nothing (stale pid files are removed)
server_pid() {
    [[ -f "$PID_FILE" ]] || return 0
    local pid
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
        && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$MAIN_CLASS"; then
        echo "$pid"
    else
        rm -f "$PID_FILE"
    fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_gone() { # pid seconds
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.1
    done
    ! kill -0 "$1" 2>/dev/null
}

needs_build() {
    [[ -f "$JAR" && -d "$TARGET/lib" && -d "$TARGET/plugins" ]] || return 0
    [[ -n "$(find "$SERVER_DIR/pom.xml" "$SERVER_DIR/src" -newer "$JAR" -type f 2>/dev/null | head -1)" ]]
}

build() {
    command -v mvn >/dev/null || die "mvn not found (apt-get install maven; needs a JDK 17+)"
    echo "neo4j-local: building $SERVER_DIR" >&2
    # offline first (fast, works without network once ~/.m2 is populated), then online
    if ! (cd "$SERVER_DIR" && mvn -o -q -B package >/dev/null 2>&1); then
        (cd "$SERVER_DIR" && mvn -q -B package >&2) || die "maven build failed"
    fi
}

lock() { # serialise start/stop/kill for this port
    mkdir -p "$RUN_DIR"
    exec 9>"$RUN_DIR/lock"
    if command -v flock >/dev/null; then flock 9; fi
}

cmd_start() {
    lock
    local pid
    pid="$(server_pid)"
    if [[ -n "$pid" ]]; then echo "$URI"; return 0; fi
    command -v "$JAVA" >/dev/null || die "java not found (apt-get install openjdk-17-jre-headless; JDK 17+ to build)"
    if needs_build; then build; fi
    if port_open "$PORT"; then die "port $PORT already in use by another process"; fi
    mkdir -p "$DATA_DIR"
    [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
    local -a cmd=("$JAVA" "-Xms$HEAP" "-Xmx$HEAP" ${NEO4J_GC_OPTS:--XX:+UseParallelGC} -XX:+ExitOnOutOfMemoryError
        -XX:-OmitStackTraceInFastThrow -XX:+DisableExplicitGC
        -Djdk.nio.maxCachedBufferSize=1024 -Dio.netty.tryReflectionSetAccessible=true
        -Dlog4j2.disable.jmx=true
        --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
        --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
        ${NEO4J_JAVA_OPTS:-}  # word-split on purpose
        -cp "$JAR:$TARGET/lib/*" "$MAIN_CLASS"
        --bolt-port "$PORT" --http-port "$HTTP_PORT" --data-dir "$DATA_DIR"
        --plugins-dir "$TARGET/plugins" --pagecache "$PAGECACHE"
        --import-dir "${NEO4J_IMPORT_DIR:-$DATA_DIR/import}" --apoc-files "${NEO4J_APOC_FILES:-false}"
        --allow-network "${NEO4J_ALLOW_NETWORK:-false}")
    # own session (survives the caller's Ctrl-C); the shell records its pid then execs java
    setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" "${cmd[@]}" \
        >"$LOG_FILE" 2>&1 </dev/null 9>&- &
    local i
    for ((i = 0; i < START_TIMEOUT * 5; i++)); do
        sleep 0.2
        pid="$(cat "$PID_FILE" 2>/dev/null || true)"
        if grep -q "^READY $URI" "$LOG_FILE" 2>/dev/null; then
            echo "$URI"
            return 0
        fi
        if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$PID_FILE"
            echo "neo4j-local: server exited during startup; last log lines ($LOG_FILE):" >&2
            tail -n 40 "$LOG_FILE" >&2 || true
            exit 1
        fi
    done
    echo "neo4j-local: Bolt not ready after ${START_TIMEOUT}s; last log lines ($LOG_FILE):" >&2
    tail -n 40 "$LOG_FILE" >&2 || true
    [[ -n "$pid" ]] && kill -KILL "$pid" 2>/dev/null || true
    rm -f "$PID_FILE"
    exit 1
}

# neo4j-admin from the server's own classpath (org.neo4j:neo4j brings the import tool), homed in
# the data dir, so `database import full neo4j` writes exactly where the server will look.
write_admin_wrapper() { # path
    cat >"$1" <<WRAPPER
#!/usr/bin/env bash
export NEO4J_HOME="$DATA_DIR"
exec "$JAVA" -Xmx${NEO4J_IMPORT_HEAP:-1g} -cp "$JAR:$TARGET/lib/*" org.neo4j.cli.AdminTool "\$@"
WRAPPER
    chmod +x "$1"
}

cmd_import() {
    local dir="${1:-}"
    [[ -n "$dir" ]] || die "usage: $0 import DIR   (DIR from: mechgraph export --format neo4j-admin DIR)"
    [[ -f "$dir/import.sh" && -f "$dir/after-import.cypher" ]] \
        || die "$dir is not a folder written by 'mechgraph export --format neo4j-admin' (no import.sh)"
    dir="$(cd "$dir" && pwd)"
    lock
    [[ -z "$(server_pid)" ]] || die "the server on port $PORT is running; stop it first (import builds a fresh database)"
    if [[ -d "$DATA_DIR/data/databases" && -n "$(ls -A "$DATA_DIR/data/databases" 2>/dev/null)" ]]; then
        die "$DATA_DIR already holds databases; import needs a fresh data dir: set NEO4J_DATA_DIR to a new folder (or remove this one)"
    fi
    command -v "$JAVA" >/dev/null || die "java not found (apt-get install openjdk-17-jre-headless; JDK 17+ to build)"
    if needs_build; then build; fi
    mkdir -p "$DATA_DIR" "$RUN_DIR"
    write_admin_wrapper "$RUN_DIR/neo4j-admin"
    echo "neo4j-local: importing $dir into $DATA_DIR (log: $RUN_DIR/import.log)" >&2
    if ! NEO4J_ADMIN="$RUN_DIR/neo4j-admin" TMPDIR="$RUN_DIR" bash "$dir/import.sh" neo4j >"$RUN_DIR/import.log" 2>&1; then
        echo "neo4j-local: import failed; last lines of $RUN_DIR/import.log:" >&2
        tail -n 20 "$RUN_DIR/import.log" >&2 || true
        exit 1
    fi
    # the server runs this once, after the database is up, then renames it *.done
    cp "$dir/after-import.cypher" "$DATA_DIR/mechgraph-init.cypher"
    cmd_start
}

cmd_stop() {
    lock
    local pid
    pid="$(server_pid)"
    if [[ -z "$pid" ]]; then echo "stopped"; return 0; fi
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$pid" "$STOP_TIMEOUT"; then
        echo "neo4j-local: no clean shutdown after ${STOP_TIMEOUT}s, sending SIGKILL" >&2
        kill -KILL "$pid" 2>/dev/null || true
        wait_gone "$pid" 10 || die "pid $pid did not die"
    fi
    rm -f "$PID_FILE"
    echo "stopped"
}

cmd_kill() {
    lock
    local pid
    pid="$(server_pid)"
    if [[ -z "$pid" ]]; then echo "stopped"; return 0; fi
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || die "pid $pid did not die"
    rm -f "$PID_FILE"
    echo "killed"
}

cmd_status() {
    local pid
    pid="$(server_pid)"
    if [[ -n "$pid" ]]; then
        echo "running $URI (pid $pid)"
    else
        echo "stopped"
        exit 3
    fi
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_stop >/dev/null; cmd_start ;;
    status) cmd_status ;;
    kill) cmd_kill ;;
    build) build ;;
    log) echo "$LOG_FILE" ;;
    import) cmd_import "${2:-}" ;;
    *) echo "usage: $0 start|stop|restart|status|kill|build|log|import DIR" >&2; exit 2 ;;
esac
