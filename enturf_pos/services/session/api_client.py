"""The one HTTP client of the POS: base URL, timeouts, user and device headers, errors.

Every failure becomes one of two exceptions with a message a person can read:

* :class:`ServerUnreachable`: no answer from the server. `request_sent` tells whether
  the request may have reached it (the connection broke or timed out after sending), in
  which case the server may have acted and a write must be retried with the same id.
* :class:`ApiError`: the server answered with an error (`code`, `message`, `status`),
  taken from its `{"error": {"code", "message", "details"}}` shape.
"""

from __future__ import annotations

import ipaddress
import logging
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from enturf_core.wire import version as wire

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (3.05, 20.0)  # (connect, read) seconds
PING_TIMEOUT = (2.0, 4.0)
GATEWAY_ERRORS = {502, 503, 504}  # a proxy in front of the server answered for it


class ServerUnreachable(Exception):
    def __init__(self, message: str, *, request_sent: bool) -> None:
        super().__init__(message)
        self.message = message
        self.request_sent = request_sent


_Code = TypeVar("_Code", bound=StrEnum)


class ApiError(Exception):
    def __init__(
        self, code: str, message: str, status: int, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.details = details or {}

    def code_as(self, codes: type[_Code]) -> _Code | str:
        """The server's code as a member of `codes` when the counter knows it, else as
        the server sent it (a newer server may refuse for a reason this counter does not
        know: the result still carries it)."""
        try:
            return codes(self.code)
        except ValueError:
            return self.code


def normalize_server_url(text: str) -> str:
    """`boxoffice.local:8000` -> `http://boxoffice.local:8000`; raises ValueError if unusable.

    Without a scheme, addresses on the local network get http and names on the internet
    get https.
    """
    text = text.strip().rstrip("/")
    if not text:
        raise ValueError("Enter the server address, e.g. http://192.168.1.10:8000")
    if "://" not in text:
        host = urlsplit(f"//{text}").hostname or ""
        text = f"{'http' if _is_local_host(host) else 'https'}://{text}"
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{text!r} is not a server address (e.g. http://192.168.1.10:8000)")
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ValueError(f"The port in {text!r} is not a number from 1 to 65535.") from None
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _is_local_host(host: str) -> bool:
    if host == "localhost" or "." not in host or host.endswith((".local", ".lan")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local


def _error_from(response: requests.Response) -> ApiError:
    try:
        body = response.json()
        error = body["error"]
        return ApiError(
            str(error.get("code") or f"http_{response.status_code}"),
            str(error.get("message") or response.reason),
            response.status_code,
            error.get("details") if isinstance(error.get("details"), dict) else {},
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return ApiError(
            f"http_{response.status_code}",
            f"The server answered with an error (HTTP {response.status_code}). "
            "Check the server address; if it is right, ask your administrator.",
            response.status_code,
        )


class ApiClient:
    """A `requests.Session` bound to one server, carrying this counter's credentials.

    Not shared between threads: give each worker its own client (`clone()`).
    """

    def __init__(
        self,
        base_url: str,
        *,
        device_token: str | None = None,
        user_token: str | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        self.base_url = normalize_server_url(base_url)
        self.device_token = device_token
        self.user_token = user_token
        self.timeout = timeout
        # Imported on first use: keeps `requests` off the start-up path (the first call
        # is a reachability ping on a worker thread). See bench/pos_cold_start.py.
        import requests
        from requests.adapters import HTTPAdapter

        self._session = requests.Session()
        # No automatic retries: a write is retried deliberately, with its own idempotent id.
        adapter = HTTPAdapter(max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers.update({"Accept": "application/json", "User-Agent": "enturf-pos/0.1"})

    def clone(self, *, timeout: tuple[float, float] | None = None) -> ApiClient:
        return ApiClient(
            self.base_url,
            device_token=self.device_token,
            user_token=self.user_token,
            timeout=timeout or self.timeout,
        )

    def close(self) -> None:
        self._session.close()

    def _headers(self, authenticated: bool) -> dict[str, str]:
        # the sync wire format this counter speaks (read at each call: an update test fakes it)
        headers: dict[str, str] = {wire.HEADER: str(wire.WIRE_VERSION)}
        if self.device_token:
            headers["X-Enturf-Device"] = self.device_token
        if authenticated and self.user_token:
            headers["Authorization"] = f"Token {self.user_token}"
        return headers

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        authenticated: bool = True,
        timeout: tuple[float, float] | None = None,
    ) -> Any:
        """Send a request; the decoded JSON body (None for an empty answer) or an exception."""
        response = self._send(
            method, path, json=json, params=params, authenticated=authenticated, timeout=timeout
        )
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ApiError(
                "bad_response",
                "The server's answer could not be read. Check the server address.",
                response.status_code,
            ) from None

    def get_bytes(self, path: str, *, params: dict[str, Any] | None = None) -> tuple[bytes, str]:
        """GET a file (a CSV export): its body as sent and its content type. Errors as
        :meth:`request` (the server answers errors in JSON)."""
        response = self._send("GET", path, params=params, accept="*/*")
        return response.content, response.headers.get("Content-Type", "")

    def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        authenticated: bool = True,
        timeout: tuple[float, float] | None = None,
        accept: str | None = None,
    ) -> requests.Response:
        """The server's answer below 400, else one of this module's exceptions."""
        import requests

        headers = self._headers(authenticated)
        if accept is not None:
            headers["Accept"] = accept
        url = f"{self.base_url}/{path.lstrip('/')}"
        try:
            response = self._session.request(
                method,
                url,
                json=json,
                params=params,
                headers=headers,
                timeout=timeout or self.timeout,
            )
        except requests.exceptions.ConnectTimeout:
            raise ServerUnreachable(
                "The server does not answer (connection timed out).", request_sent=False
            ) from None
        except requests.exceptions.ReadTimeout:
            raise ServerUnreachable(
                "The server took too long to answer.", request_sent=True
            ) from None
        except requests.exceptions.ConnectionError as exc:
            sent = not _failed_before_sending(exc)
            message = (
                "The connection to the server broke before it answered."
                if sent
                else "The server cannot be reached. Check the network and the server address."
            )
            raise ServerUnreachable(message, request_sent=sent) from None
        except requests.exceptions.RequestException as exc:
            log.warning("request to %s failed: %s", url, exc)
            raise ServerUnreachable(
                "The request to the server failed. Check the server address.", request_sent=False
            ) from None
        if response.status_code in GATEWAY_ERRORS:
            raise ServerUnreachable(
                f"The server is not available right now (HTTP {response.status_code}).",
                request_sent=response.status_code == 504,
            )
        if response.status_code >= 400:
            raise _error_from(response)
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.request("POST", path, json=json, **kwargs)

    def ping(self) -> bool:
        """Whether the server answers at all (any HTTP answer below 500 counts)."""
        try:
            self.get("/api/v1/auth/me/", timeout=PING_TIMEOUT)
        except ServerUnreachable:
            return False
        except ApiError as exc:
            return exc.status < 500
        return True


def _failed_before_sending(exc: requests.exceptions.ConnectionError) -> bool:
    """True when the connection never opened (refused, no route, DNS): nothing was sent."""
    from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError

    reason: Any = exc.args[0] if exc.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, NewConnectionError | NameResolutionError)
