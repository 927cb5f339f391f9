#!/usr/bin/env bash
# Installs the PHM Java kernel ("phm-java") for Jupyter, so analysts can run notebooks/*.ipynb.
#   notebooks/install-kernel.sh            build the kernel if needed, install Jupyter from Debian if missing,
#                                          write the kernelspec for the current user
#   notebooks/install-kernel.sh --prefix DIR   write the kernelspec under DIR/share/jupyter/kernels instead
#   notebooks/install-kernel.sh --jupyter-only install Jupyter from Debian if missing, nothing else (scripts/test.sh)
#   PHM_KERNEL_CLASSPATH=...               use this class path instead of notebooks/target (tests)
# Idempotent: rerunning rewrites the same kernelspec and installs nothing twice.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PREFIX=""
JUPYTER_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="$2"; shift 2 ;;
    --jupyter-only) JUPYTER_ONLY=1; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "install-kernel.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

if ! command -v jupyter >/dev/null 2>&1 || ! jupyter nbconvert --version >/dev/null 2>&1; then
  echo "install-kernel.sh: installing Jupyter from Debian packages ..." >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    jupyter-notebook jupyter-nbconvert python3-nbconvert python3-nbclient python3-ipykernel >&2
fi

if [ "$JUPYTER_ONLY" = 1 ]; then
  exit 0
fi

if [ -n "${PHM_KERNEL_CLASSPATH:-}" ]; then
  CP="$PHM_KERNEL_CLASSPATH"
else
  TARGET="$HERE/${PHM_TARGET:-target}"
  if [ ! -f "$TARGET/phm-notebooks.jar" ] || [ ! -d "$TARGET/lib" ]; then
    echo "install-kernel.sh: building the kernel ..." >&2
    (cd "$ROOT" && ./mvnw -B -q -DskipTests -pl notebooks -am package) >&2
    TARGET="$HERE/target"
  fi
  CP="$TARGET/phm-notebooks.jar:$TARGET/lib/*"
fi

SPARK_FLAGS="$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' "$ROOT/pom.xml")"
JAVA="$(command -v java)"
if [ -n "$PREFIX" ]; then
  KDIR="$PREFIX/share/jupyter/kernels/phm-java"
else
  KDIR="$(jupyter --data-dir)/kernels/phm-java"
fi
mkdir -p "$KDIR"
python3 - "$KDIR/kernel.json" "$JAVA" "${PHM_KERNEL_HEAP:--Xmx4g}" "$SPARK_FLAGS" "$CP" <<'PY'
import json, sys
path, java, heap, flags, cp = sys.argv[1:]
argv = [java, heap] + flags.split() + ["-cp", cp, "org.phm.notebooks.JavaKernel", "{connection_file}"]
spec = {"argv": argv, "display_name": "Java (PHM Engine)", "language": "java",
        "interrupt_mode": "message", "env": {}}
with open(path, "w") as f:
    json.dump(spec, f, indent=2)
PY
echo "install-kernel.sh: kernel phm-java installed in $KDIR" >&2
