"""One managed connection to an OBS Studio instance over obs-websocket 5.

``obsws_python.ReqClient`` is not thread-safe (it reads the next message without matching
request ids), has no timeout by default and never reconnects. This wrapper serialises requests
with a lock, always passes a timeout, and throws the socket away after any transport error or
timeout — a late answer would otherwise be read as the answer to the next request — so the
next call reconnects with backoff.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import obsws_python
from obsws_python.baseclient import ObsClient
from obsws_python.error import OBSSDKError, OBSSDKRequestError, OBSSDKTimeoutError
from websocket import WebSocketConnectionClosedException, WebSocketException

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
        # ReqClient() opens the socket and authenticates in one step and leaves the socket open
        # when authentication fails; doing the two steps here lets a refused login close it.
        try:
            base = ObsClient(
                host=self.host, port=self.port, password=self._password, timeout=self.timeout
            )
        except (OSError, WebSocketException, OBSSDKError, ValueError) as exc:
            raise ObsUnavailable(
                f"cannot connect to OBS at {self.host}:{self.port}: {exc}"
            ) from exc
        try:
            base.authenticate()
        except (OSError, WebSocketException, OBSSDKError, ValueError) as exc:
            base.ws.shutdown()  # close() does nothing once OBS has dropped the connection
            raise ObsUnavailable(
                f"OBS at {self.host}:{self.port} refused the login: {exc}"
            ) from exc
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
