#!/usr/bin/env bash
# The locked dependency set: one lock file per Python version (see docs/dependencies.md).
#
#   requirements/locks.sh lock [pip-compile options, e.g. --upgrade]   (make lock)
#   requirements/locks.sh audit                                        (make audit)
#
# LOCK_PYTHONS names the interpreters (default: python3.11 python3.12 python3.13); those
# not installed are skipped with a note. pip-tools and pip-audit live in .venv-tools/py3.X,
# never in the project's .venv (that holds exactly the locked set).
set -euo pipefail
cd "$(dirname "$0")/.."
action=${1:-}
shift || true
case $action in lock | audit) ;; *) echo "usage: $0 lock|audit [pip-compile options]" >&2; exit 2 ;; esac

status=0
for py in ${LOCK_PYTHONS:-python3.11 python3.12 python3.13}; do
  if ! "$py" -c '' 2>/dev/null; then
    echo "$py: not found, skipped"
    continue
  fi
  version=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  lock=requirements/lock-py$version.txt
  tools=.venv-tools/py$version
  if [ ! -x "$tools/bin/pip-audit" ] || [ ! -x "$tools/bin/pip-compile" ]; then
    "$py" -m venv "$tools"
    "$tools/bin/python" -m pip install --quiet --disable-pip-version-check pip-tools pip-audit
  fi
  if [ "$action" = lock ]; then
    echo "resolving $lock with $py"
    "$tools/bin/pip-compile" --quiet "$@" --extra test --extra dist --generate-hashes --strip-extras --allow-unsafe \
      --no-emit-index-url --no-emit-find-links --output-file "$lock" pyproject.toml
  elif [ -f "$lock" ]; then
    # markers (PySide6's) are evaluated by the interpreter the lock was made for
    echo "== $lock"
    "$tools/bin/pip-audit" --strict --progress-spinner off --disable-pip --require-hashes \
      --requirement "$lock" || status=1
  else
    echo "$lock: no such lock, nothing to audit for $py"
  fi
done
exit $status
