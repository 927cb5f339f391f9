#!/usr/bin/env bash
# The project's test command (README "Run the tests"; .ci/run calls exactly this).
# 1. installs what the tests need beyond a JDK, from Debian's packages, if missing:
#    Chromium (HTML export tests) and Jupyter (notebook tests) — both idempotent;
# 2. runs the whole Maven build with every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-browser.sh
notebooks/install-kernel.sh --jupyter-only
./mvnw -B verify "$@"
