#!/usr/bin/env bash
# PHM Engine benchmark harness (the Maven module is bench/, hence the .sh name). Builds the bench module on first
# use (or when sources changed), then runs `org.phm.bench.Benchmark` with the JVM flags Spark 4 needs on Java 17
# (taken from pom.xml, one source).
#   ./bench.sh --patients 100k [--seed 1] [--work bench-work] [--skip-duckdb]
# Heap: PHM_BENCH_JAVA_OPTS (default -Xmx4g, the driver cap of the performance targets).
# Build folder: PHM_BENCH_TARGET (default target; e.g. target-perf to keep parallel builds apart).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TARGET="${PHM_BENCH_TARGET:-target}"
JAR="$HERE/bench/$TARGET/phm-bench.jar"

needs_build() {
  [ ! -f "$JAR" ] && return 0
  [ -n "$(find "$HERE/engine/src" "$HERE/sample-data/src" "$HERE/jobs/src" "$HERE/bench/src" "$HERE"/pom.xml \
      "$HERE"/*/pom.xml -newer "$JAR" -type f -print -quit 2>/dev/null)" ]
}

if needs_build; then
  echo "bench: building (first run or sources changed) ..." >&2
  (cd "$HERE" && ./mvnw -B -q -DskipTests -Dphm.target="$TARGET" -pl bench -am package) >&2
fi

SPARK_FLAGS="$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' "$HERE/pom.xml")"
exec java ${PHM_BENCH_JAVA_OPTS:--Xmx4g} $SPARK_FLAGS -Dphm.repo.dir="$HERE" \
  -cp "$JAR:$HERE/bench/$TARGET/lib/*" org.phm.bench.Benchmark "$@"
