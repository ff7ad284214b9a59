# Shared settings of the infra scripts; sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "$(id -u)" = 0 ]; then
  : "${ZX_CACHE_DIR:=/var/cache/zhixue}"
else
  : "${ZX_CACHE_DIR:=${XDG_CACHE_HOME:-$HOME/.cache}/zhixue}"
fi
export ZX_CACHE_DIR

# Versions of what is not on PyPI. Changing one makes the installer fetch and build it anew.
ES_VERSION="8.19.21"
S3_SERVER="versitygw"
S3_VERSION="v1.8.0"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

python_for_venv() {
  local py
  for py in python3.11 python3.12 python3; do
    if command -v "$py" >/dev/null && "$py" -c 'import sys; sys.exit(sys.version_info[:2] not in ((3,11),(3,12)))'; then
      command -v "$py"; return 0
    fi
  done
  die "Python 3.11 或 3.12 未找到 / Python 3.11 or 3.12 is required"
}

# The virtualenv is keyed by the dependency lists in pyproject.toml, so code changes reuse it.
venv_dir() {
  local key
  key=$( { sed -n '/^dependencies = \[/,/^\]/p;/^test = \[/,/^\]/p' "$ROOT/pyproject.toml"; "$(python_for_venv)" -V; } | sha256sum | cut -c1-12)
  echo "$ZX_CACHE_DIR/venv-$key"
}
