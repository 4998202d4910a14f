# Sourced by scripts/make-corpus and scripts/make-fixtures: sets ROOT and PY,
# creating the pinned virtualenv .build/venv-corpus when it is missing or stale.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.build/venv-corpus"
REQ="$ROOT/scripts/corpus/requirements.txt"
STAMP="$VENV/.requirements"
PY="$VENV/bin/python"
if [ ! -x "$PY" ] || ! cmp -s "$REQ" "$STAMP"; then
  echo "corpus: setting up $VENV" >&2
  PYTHON="${PYTHON:-python3}"
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 9))' || {
    echo "corpus: Python 3.9 or newer is needed (set PYTHON=...)" >&2; exit 1; }
  [ -x "$PY" ] || "$PYTHON" -m venv "$VENV"
  "$PY" -m pip install --quiet --disable-pip-version-check --no-input -r "$REQ"
  cp "$REQ" "$STAMP"
fi
export PYTHONHASHSEED=0
export PYTHONDONTWRITEBYTECODE=1
