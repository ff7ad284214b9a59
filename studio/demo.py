"""The demo studio: the OBS that ./infra/svc runs, its four scenes, and a class booked now."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from repo_service.accounts.models import User
from repo_service.db import utcnow
from studio.models import LiveSession, LiveStatus, Studio, StudioOperator
from studio.obs import ObsConnection, ObsRequestFailed, ObsUnavailable
from studio.services import save_studio, schedule_session

log = logging.getLogger(__name__)

DEMO_STUDIO = "区社区学院演播室"
SCENES = {
    "scene_lecture": ("讲课", 0xFF7A4A1F),
    "scene_pip": ("画中画", 0xFF2E7D32),
    "scene_slides": ("课件全屏", 0xFF1565C0),
    "scene_meeting": ("会议", 0xFF6A1B9A),
}


def prepare_scenes(obs: ObsConnection) -> bool:
    """Create the studio's scenes in OBS (a coloured background and a title each); False when
    OBS cannot be reached."""
    try:
        existing = {s["sceneName"] for s in obs.request("GetSceneList")["scenes"]}
        for scene, colour in SCENES.values():
            if scene in existing:
                continue
            obs.request("CreateScene", {"sceneName": scene})
            obs.request(
                "CreateInput",
                {
                    "sceneName": scene,
                    "inputName": f"背景-{scene}",
                    "inputKind": "color_source_v3",
                    "inputSettings": {"color": colour, "width": 1280, "height": 720},
                    "sceneItemEnabled": True,
                },
            )
        obs.request("SetCurrentProgramScene", {"sceneName": SCENES["scene_lecture"][0]})
    except (ObsUnavailable, ObsRequestFailed) as exc:
        log.warning("could not prepare the demo scenes in OBS: %s", exc)
        return False
    return True


def seed_studio(session: Session, config: dict[str, Any], operator: User) -> LiveSession:
    studio = session.scalar(select(Studio).where(Studio.name == DEMO_STUDIO))
    if studio is None:
        studio = save_studio(
            session,
            config,
            {
                "name": DEMO_STUDIO,
                "location": "江宁区社区学院 3 楼",
                "obs_host": config["OBS_HOST"],
                "obs_port": config["OBS_PORT"],
                "obs_password": config["OBS_PASSWORD"],
                "rtmp_url": config["RTMP_PUBLISH_URL"],
                "operators": [operator.username],
                **{key: name for key, (name, _colour) in SCENES.items()},
            },
        )
    elif operator.id not in studio.operator_ids:
        studio.operator_rows.append(StudioOperator(user_id=operator.id))
        session.flush()
    live = session.scalar(
        select(LiveSession).where(
            LiveSession.studio_id == studio.id,
            LiveSession.status.in_([LiveStatus.SCHEDULED, LiveStatus.LIVE]),
            LiveSession.scheduled_end > utcnow(),
        )
    )
    if live is None:
        local = dt.timezone(dt.timedelta(hours=8))
        start = utcnow().astimezone(local).replace(second=0, microsecond=0)
        live = schedule_session(
            session,
            operator,
            {
                "title": "演播室示范课：智能手机入门",
                "studio_id": studio.id,
                "kind": "live",
                "teacher": "王老师",
                "category": "老年教育/智能技术",
                "audience": "老年人",
                "start": start.isoformat(),
                "end": (start + dt.timedelta(hours=2)).isoformat(),
            },
        )
    session.commit()
    return live
