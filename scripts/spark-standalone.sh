#!/usr/bin/env bash
# A local Spark standalone cluster (one master, one worker on 127.0.0.1) made from the project's own
# Spark Maven artifacts (pom.xml's spark.version), for trying `spark-submit`-style runs of the nightly job by hand.
#
#   scripts/spark-standalone.sh start    # builds jobs if needed, lays out SPARK_HOME, starts master + worker
#   scripts/spark-standalone.sh submit nightly --input DIR --out DIR --run-date YYYY-MM-DD --demo
#   scripts/spark-standalone.sh status
#   scripts/spark-standalone.sh stop
#
# Settings (environment): PHM_SPARK_DIR (default .phm/spark-standalone), PHM_TARGET (build folder, default
# target), SPARK_MASTER_PORT (7077), SPARK_MASTER_WEBUI_PORT (8080), SPARK_WORKER_PORT (7078),
# SPARK_WORKER_WEBUI_PORT (8081), SPARK_WORKER_CORES (1), SPARK_WORKER_MEMORY (2g), PHM_DRIVER_MEMORY (2g),
# PHM_EXECUTOR_MEMORY (1g). Everything listens on 127.0.0.1 only.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${PHM_SPARK_DIR:-$HERE/.phm/spark-standalone}"
TARGET="${PHM_TARGET:-target}"
LIB="$HERE/jobs/$TARGET/lib"
APP_JAR="$HERE/jobs/$TARGET/phm-jobs-cluster.jar"
MASTER_PORT="${SPARK_MASTER_PORT:-7077}"
MASTER_UI="${SPARK_MASTER_WEBUI_PORT:-8080}"
WORKER_PORT="${SPARK_WORKER_PORT:-7078}"
WORKER_UI="${SPARK_WORKER_WEBUI_PORT:-8081}"
CORES="${SPARK_WORKER_CORES:-1}"
MEMORY="${SPARK_WORKER_MEMORY:-2g}"
MASTER_URL="spark://127.0.0.1:$MASTER_PORT"
SPARK_FLAGS="$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' "$HERE/pom.xml")"

export SPARK_HOME="$DIR/spark-home" SPARK_LOCAL_IP=127.0.0.1
# what bin/load-spark-env.sh of a Spark distribution exports; the worker needs it to build executor commands
export SPARK_SCALA_VERSION=2.13
CP="$SPARK_HOME/conf/:$SPARK_HOME/jars/*"

alive() { [ -f "$DIR/$1.pid" ] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }

wait_for() { # file text seconds
  for _ in $(seq "$3"); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 1
  done
  echo "timed out waiting for '$2' in $1" >&2
  return 1
}

layout() {
  if [ ! -f "$APP_JAR" ] || [ ! -d "$LIB" ]; then
    echo "building jobs (phm-jobs-cluster.jar and lib/) into jobs/$TARGET ..." >&2
    (cd "$HERE" && ./mvnw -B -q -Dphm.target="$TARGET" -DskipTests -pl jobs -am package) >&2
  fi
  rm -rf "$SPARK_HOME/jars"
  mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/conf" "$SPARK_HOME/work" "$DIR/logs"
  # A Spark distribution's jars/: Spark and its dependencies. Our artifacts and the non-Spark libraries
  # shaded into phm-jobs-cluster.jar are left out, so executors load them from the application jar only.
  for j in "$LIB"/*.jar; do
    case "$(basename "$j")" in
      phm-*|picocli-*|poi-*|xmlbeans-*|curvesapi-*|SparseBitSet-*) ;;
      *) ln -s "$j" "$SPARK_HOME/jars/" ;;
    esac
  done
}

start() {
  if alive master || alive worker; then
    echo "already running ($MASTER_URL); use: $0 stop" >&2
    exit 1
  fi
  layout
  # shellcheck disable=SC2086
  nohup java -Xmx512m $SPARK_FLAGS -cp "$CP" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$MASTER_PORT" --webui-port "$MASTER_UI" > "$DIR/logs/master.log" 2>&1 &
  echo $! > "$DIR/master.pid"
  wait_for "$DIR/logs/master.log" "I have been elected leader" 180
  # shellcheck disable=SC2086
  nohup java -Xmx512m $SPARK_FLAGS -cp "$CP" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --port "$WORKER_PORT" --webui-port "$WORKER_UI" --cores "$CORES" --memory "$MEMORY" \
    --work-dir "$SPARK_HOME/work" "$MASTER_URL" > "$DIR/logs/worker.log" 2>&1 &
  echo $! > "$DIR/worker.pid"
  wait_for "$DIR/logs/worker.log" "Successfully registered with master" 180
  echo "Spark standalone cluster up: master $MASTER_URL (UI http://127.0.0.1:$MASTER_UI), worker $CORES core(s) $MEMORY"
  echo "logs: $DIR/logs; executor logs: $SPARK_HOME/work"
}

stop_one() {
  if alive "$1"; then
    local pid
    pid="$(cat "$DIR/$1.pid")"
    pkill -TERM -P "$pid" 2>/dev/null || true   # the worker's executors
    kill "$pid"
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
    echo "stopped $1 (pid $pid)"
  fi
  rm -f "$DIR/$1.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop_one worker; stop_one master ;;
  status)
    for d in master worker; do
      if alive $d; then echo "$d: running (pid $(cat "$DIR/$d.pid"))"; else echo "$d: stopped"; fi
    done ;;
  submit)
    shift
    alive master || { echo "cluster not running: $0 start" >&2; exit 1; }
    # client mode: the driver is this JVM, so it gets Spark's Java 17 flags and its heap directly
    # shellcheck disable=SC2086
    exec java "-Xmx${PHM_DRIVER_MEMORY:-2g}" $SPARK_FLAGS -cp "$CP" org.apache.spark.deploy.SparkSubmit \
      --master "$MASTER_URL" --conf "spark.executor.memory=${PHM_EXECUTOR_MEMORY:-1g}" \
      --class org.phm.jobs.Phm "$APP_JAR" "$@" ;;
  *) echo "usage: $0 start|stop|status|submit <phm arguments>" >&2; exit 2 ;;
esac
