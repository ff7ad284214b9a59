"""One managed connection to an OBS Studio instance over obs-websocket 5.

``obsws_python.ReqClient`` is not thread-safe (it reads the next message without matching
request ids), has no timeout by default and never reconnects. This wrapper serialises requests
with a lock, always passes a timeout, and throws the socket away after any transport error or
timeout — a late answer would otherwise be read as the answer to the next request — so the
next call reconnects with backoff.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from typing import Any

import obsws_python
from obsws_python.baseclient import ObsClient
from obsws_python.error import OBSSDKError, OBSSDKRequestError, OBSSDKTimeoutError
from websocket import (
    WebSocketConnectionClosedException,
    WebSocketException,
    WebSocketTimeoutException,
)

# obsws_python logs the password at INFO when it connects and a traceback for every refused
# connection; this wrapper reports failures itself.
logging.getLogger("obsws_python").setLevel(logging.CRITICAL)

log = logging.getLogger(__name__)

# obs-websocket request status codes worth naming (RequestStatus enum of the protocol).
REQUEST_STATUS_UNSUPPORTED = 604  # e.g. StartVirtualCam without v4l2loopback


class ObsUnavailable(RuntimeError):
    """OBS could not be reached or did not answer in time."""


class ObsRequestFailed(RuntimeError):
    """OBS answered, but refused the request."""

    def __init__(self, request: str, code: int, comment: str) -> None:
        super().__init__(f"{request} failed with status {code}: {comment}")
        self.request = request
        self.code = code
        self.comment = comment


def open_client(
    host: str, port: int, password: str, timeout: float, subscriptions: int = 0
) -> ObsClient:
    """An authenticated obs-websocket client socket.

    ``ReqClient()`` opens the socket and authenticates in one step and leaves the socket open
    when authentication fails; doing the two steps here lets a refused login close it.
    """
    try:
        base = ObsClient(
            host=host, port=port, password=password, timeout=timeout, subs=subscriptions
        )
    except (OSError, WebSocketException, OBSSDKError, ValueError) as exc:
        raise ObsUnavailable(f"cannot connect to OBS at {host}:{port}: {exc}") from exc
    try:
        base.authenticate()
    except (OSError, WebSocketException, OBSSDKError, ValueError) as exc:
        base.ws.shutdown()  # close() does nothing once OBS has dropped the connection
        raise ObsUnavailable(f"OBS at {host}:{port} refused the login: {exc}") from exc
    return base


class ObsConnection:
    def __init__(
        self,
        host: str,
        port: int,
        password: str,
        *,
        timeout: float = 5.0,
        retries: int = 2,
        backoff: float = 0.5,
    ) -> None:
        self.host = host
        self.port = port
        self._password = password
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._lock = threading.RLock()
        self._client: obsws_python.ReqClient | None = None

    def __repr__(self) -> str:
        return f"ObsConnection({self.host}:{self.port})"

    def _connect(self) -> obsws_python.ReqClient:
        base = open_client(self.host, self.port, self._password, self.timeout)
        client = obsws_python.ReqClient.__new__(obsws_python.ReqClient)
        client.logger = log
        client.base_client = base
        return client

    def _drop(self) -> None:
        # No close handshake: the socket may be half-dead, and a handshake could block.
        if self._client is not None:
            self._client.base_client.ws.shutdown()
            self._client = None

    def _connect_with_backoff(self) -> obsws_python.ReqClient:
        for attempt in range(self.retries + 1):
            try:
                return self._connect()
            except ObsUnavailable:
                if attempt == self.retries:
                    raise
                time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")

    def request(self, name: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send one request and return its response data (an empty dict when there is none).

        A socket found closed (OBS restarted since the last call) is reopened and the request
        sent once more; a timeout is not retried, since OBS may have acted on the request.
        """
        with self._lock:
            for attempt in range(2):
                if self._client is None:
                    self._client = self._connect_with_backoff()
                try:
                    response = self._client.send(name, data, raw=True)
                except OBSSDKRequestError as exc:
                    raise ObsRequestFailed(name, int(exc.code), str(exc)) from exc
                except (
                    WebSocketConnectionClosedException,
                    BrokenPipeError,
                    ConnectionResetError,
                ) as exc:
                    self._drop()
                    if attempt:
                        raise ObsUnavailable(f"OBS closed the connection during {name}") from exc
                except (OBSSDKTimeoutError, OBSSDKError, OSError, WebSocketException) as exc:
                    self._drop()
                    raise ObsUnavailable(f"OBS request {name} failed: {exc}") from exc
                else:
                    return dict(response or {})
            raise AssertionError("unreachable")

    def version(self) -> dict[str, Any]:
        return self.request("GetVersion")

    def close(self) -> None:
        with self._lock:
            self._drop()


def init_obs(config: dict[str, Any]) -> ObsConnection:
    return ObsConnection(
        config["OBS_HOST"],
        config["OBS_PORT"],
        config["OBS_PASSWORD"],
        timeout=config["OBS_TIMEOUT"],
    )


# --- the studio link: one socket, requests matched by id, events delivered ---------------------

# Event subscriptions (obs-websocket EventSubscription bits).
SUB_GENERAL = 1 << 0
SUB_SCENES = 1 << 2
SUB_INPUTS = 1 << 3
SUB_OUTPUTS = 1 << 6
SUB_UI = 1 << 10
SUB_INPUT_VOLUME_METERS = 1 << 16
# The command link takes every event but the audio meters: their stream (20 a second) on the
# same socket delays the answers to commands by tens of milliseconds now and then. The meters
# come on a link of their own.
LINK_SUBSCRIPTIONS = SUB_GENERAL | SUB_SCENES | SUB_INPUTS | SUB_OUTPUTS | SUB_UI
METER_SUBSCRIPTIONS = SUB_INPUT_VOLUME_METERS

OP_EVENT = 5
OP_REQUEST = 6
OP_REQUEST_RESPONSE = 7


class _Pending:
    __slots__ = ("done", "response")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.response: dict[str, Any] | None = None


class ObsLink:
    """One authenticated socket to OBS with its event subscription.

    A reader thread owns the socket's receiving side: it hands each response to the request
    that carries its id (so concurrent callers never read each other's answers) and each event
    to ``on_event``. When the socket fails, every waiting request fails with ``ObsUnavailable``
    and ``on_close`` is called once; the link is then dead and a new one must be opened.
    """

    def __init__(
        self,
        host: str,
        port: int,
        password: str,
        *,
        timeout: float = 5.0,
        on_event: Any = None,
        on_close: Any = None,
        subscriptions: int = LINK_SUBSCRIPTIONS,
    ) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout
        self._on_event = on_event
        self._on_close = on_close
        self._pending: dict[str, _Pending] = {}
        self._pending_lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._closed = threading.Event()
        self._ids = iter(range(1, 1 << 62))
        self._base = open_client(host, port, password, timeout, subscriptions)
        # The reader blocks in recv(); a short socket timeout lets it notice close().
        self._base.ws.settimeout(1.0)
        self._reader = threading.Thread(
            target=self._read, name=f"obs-link-{host}:{port}", daemon=True
        )
        self._reader.start()

    @property
    def alive(self) -> bool:
        return not self._closed.is_set()

    def _read(self) -> None:
        ws = self._base.ws
        try:
            while not self._closed.is_set():
                try:
                    raw = ws.recv()
                except WebSocketTimeoutException:
                    continue
                if not raw:
                    break
                message = json.loads(raw)
                op, data = message.get("op"), message.get("d") or {}
                if op == OP_REQUEST_RESPONSE:
                    with self._pending_lock:
                        pending = self._pending.pop(str(data.get("requestId")), None)
                    if pending is not None:  # an answer nobody waits for any more is dropped
                        pending.response = data
                        pending.done.set()
                elif op == OP_EVENT and self._on_event is not None:
                    try:
                        self._on_event(data.get("eventType", ""), data.get("eventData") or {})
                    except Exception:  # an event handler's bug must not end the link
                        log.exception("OBS event handler failed")
        except (OSError, WebSocketException, ValueError) as exc:
            log.info("OBS link %s:%s ended: %s", self.host, self.port, exc)
        finally:
            self._fail_all()

    def _fail_all(self) -> None:
        first = not self._closed.is_set()
        self._closed.set()
        with contextlib.suppress(OSError, WebSocketException):
            self._base.ws.shutdown()
        with self._pending_lock:
            pending, self._pending = list(self._pending.values()), {}
        for p in pending:
            p.done.set()  # response stays None: the caller raises ObsUnavailable
        if first and self._on_close is not None:
            self._on_close()

    def request(
        self, name: str, data: dict[str, Any] | None = None, *, timeout: float | None = None
    ) -> dict[str, Any]:
        if self._closed.is_set():
            raise ObsUnavailable(f"the connection to OBS at {self.host}:{self.port} is closed")
        request_id = str(next(self._ids))
        pending = _Pending()
        with self._pending_lock:
            self._pending[request_id] = pending
        payload: dict[str, Any] = {"requestType": name, "requestId": request_id}
        if data:
            payload["requestData"] = data
        try:
            with self._send_lock:
                self._base.ws.send(json.dumps({"op": OP_REQUEST, "d": payload}))
        except (OSError, WebSocketException) as exc:
            with self._pending_lock:
                self._pending.pop(request_id, None)
            self._fail_all()
            raise ObsUnavailable(f"OBS request {name} could not be sent: {exc}") from exc
        if not pending.done.wait(self.timeout if timeout is None else timeout):
            with self._pending_lock:
                self._pending.pop(request_id, None)
            raise ObsTimeout(f"OBS did not answer {name} in time")
        response = pending.response
        if response is None:
            raise ObsUnavailable(f"OBS closed the connection during {name}")
        status = response.get("requestStatus") or {}
        if not status.get("result"):
            raise ObsRequestFailed(name, int(status.get("code", 0)), status.get("comment") or "")
        return dict(response.get("responseData") or {})

    def close(self) -> None:
        self._closed.set()
        with contextlib.suppress(OSError, WebSocketException):
            self._base.ws.shutdown()
        if self._reader is not threading.current_thread():
            self._reader.join(timeout=3)

    # typed requests -----------------------------------------------------------------------

    def version(self) -> dict[str, Any]:
        return self.request("GetVersion")

    def stats(self) -> dict[str, Any]:
        return self.request("GetStats")

    def scene_list(self) -> dict[str, Any]:
        return self.request("GetSceneList")

    def set_program_scene(self, name: str) -> None:
        self.request("SetCurrentProgramScene", {"sceneName": name})

    def set_preview_scene(self, name: str) -> None:
        self.request("SetCurrentPreviewScene", {"sceneName": name})

    def studio_mode(self) -> bool:
        return bool(self.request("GetStudioModeEnabled")["studioModeEnabled"])

    def set_studio_mode(self, enabled: bool) -> None:
        self.request("SetStudioModeEnabled", {"studioModeEnabled": enabled})

    def transition(self) -> None:
        self.request("TriggerStudioModeTransition")

    def stream_status(self) -> dict[str, Any]:
        return self.request("GetStreamStatus")

    def set_stream_target(self, server: str, key: str) -> None:
        self.request(
            "SetStreamServiceSettings",
            {
                "streamServiceType": "rtmp_custom",
                "streamServiceSettings": {"server": server, "key": key, "use_auth": False},
            },
        )

    def start_stream(self) -> None:
        self.request("StartStream")

    def stop_stream(self) -> None:
        self.request("StopStream")

    def record_status(self) -> dict[str, Any]:
        return self.request("GetRecordStatus")

    def start_record(self) -> None:
        self.request("StartRecord")

    def stop_record(self) -> str:
        return str(self.request("StopRecord").get("outputPath") or "")

    def pause_record(self) -> None:
        self.request("PauseRecord")

    def resume_record(self) -> None:
        self.request("ResumeRecord")

    def virtualcam_status(self) -> bool:
        return bool(self.request("GetVirtualCamStatus")["outputActive"])

    def start_virtualcam(self) -> None:
        self.request("StartVirtualCam")

    def stop_virtualcam(self) -> None:
        self.request("StopVirtualCam")

    def inputs(self) -> list[dict[str, Any]]:
        return list(self.request("GetInputList")["inputs"])

    def input_muted(self, name: str) -> bool:
        return bool(self.request("GetInputMute", {"inputName": name})["inputMuted"])

    def set_input_mute(self, name: str, muted: bool) -> None:
        self.request("SetInputMute", {"inputName": name, "inputMuted": muted})


class ObsTimeout(ObsUnavailable):
    """OBS did not answer in time (it may still act on the request)."""
