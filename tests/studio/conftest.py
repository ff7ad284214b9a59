"""Helpers of the studio tests; the fixtures live in tests/studio/fixtures.py."""

from tests.studio.fixtures import SCENES, add_studio, prepare_obs_scenes, publish_cmd, wait_for

__all__ = ["SCENES", "add_studio", "prepare_obs_scenes", "publish_cmd", "wait_for"]
