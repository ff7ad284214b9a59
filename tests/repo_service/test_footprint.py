"""What a web worker loads: what serving needs, not the tools around it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from repo_service.config import PROJECT_ROOT

pytestmark = pytest.mark.integration


def test_a_web_worker_leaves_the_migration_tool_unloaded(test_env: dict[str, str]) -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "from repo_service import create_app\n"
            "create_app()\n"
            "print(sorted(m for m in ('alembic', 'mako') if m in sys.modules))\n"
            "from repo_service import migrate\n"
            "print(type(migrate.alembic_config(create_app().extensions['db'])).__module__)",
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, **test_env, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.split() == ["[]", "alembic.config"]
