#!/bin/sh
# Makes a virtual environment with TensorBoard (the version pinned in tools/golden/requirements.txt)
# for the tests that read ember's event files with TensorBoard's own reader. Run by CTest before
# those tests; without Python's venv module or PyPI it says so and exits 0: the reader tests
# then fail, saying what is missing.
#   tools/tensorboard_venv.sh VENV_DIR
set -u
venv="$1"
here="$(cd "$(dirname "$0")" && pwd)"
pin="$(grep '^tensorboard==' "$here/golden/requirements.txt")"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import tensorboard" 2>/dev/null; then
  exit 0
fi
if ! python3 -m venv --system-site-packages "$venv" >/dev/null 2>&1; then
  echo "tensorboard_venv: python3 -m venv failed (install python3-venv): the reader tests will fail"
  exit 0
fi
if ! "$venv/bin/pip" install -q --disable-pip-version-check --timeout 30 --retries 2 "$pin"; then
  echo "tensorboard_venv: pip install $pin failed (no PyPI?): the reader tests will fail"
fi
exit 0
