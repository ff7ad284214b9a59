"""Configuration from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from repo_service.config import ConfigError, finalise_secret_key, load_config

pytestmark = pytest.mark.unit


def test_production_without_a_secret_key_refuses_to_start(tmp_path: Path) -> None:
    config = load_config({"ZX_ENV": "production", "ZX_DATA_DIR": str(tmp_path)})
    with pytest.raises(ConfigError) as refused:
        finalise_secret_key(config)
    assert "ZX_SECRET_KEY" in str(refused.value)
    assert "生产模式" in str(refused.value)


def test_production_with_a_secret_key_starts(tmp_path: Path) -> None:
    config = load_config(
        {"ZX_ENV": "production", "ZX_DATA_DIR": str(tmp_path), "ZX_SECRET_KEY": "k" * 40}
    )
    finalise_secret_key(config)
    assert config["SECRET_KEY"] == "k" * 40


def test_development_generates_and_keeps_a_secret_key(tmp_path: Path) -> None:
    first = load_config({"ZX_DATA_DIR": str(tmp_path)})
    finalise_secret_key(first)
    second = load_config({"ZX_DATA_DIR": str(tmp_path)})
    finalise_secret_key(second)
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert len(first["SECRET_KEY"]) >= 32


def test_services_env_fills_defaults_but_the_environment_wins(tmp_path: Path) -> None:
    (tmp_path / "services.env").write_text("ZX_S3_ENDPOINT=10.0.0.1:9000\nZX_OBS_PORT=4999\n")
    config = load_config({"ZX_DATA_DIR": str(tmp_path), "ZX_OBS_PORT": "4455"})
    assert config["S3_ENDPOINT"] == "10.0.0.1:9000"
    assert config["OBS_PORT"] == 4455
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'zhixue.db'}"


def test_unknown_mode_is_refused_with_a_message(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ZX_ENV"):
        load_config({"ZX_ENV": "staging", "ZX_DATA_DIR": str(tmp_path)})


def test_create_app_refuses_production_without_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from repo_service import create_app

    monkeypatch.setenv("ZX_ENV", "production")
    monkeypatch.setenv("ZX_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ZX_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="ZX_SECRET_KEY"):
        create_app()
