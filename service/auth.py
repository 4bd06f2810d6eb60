"""Who may write: the ``update_enabled`` setting and a bearer token (``update_token``).

Every write of the service — SPARQL Update on ``/sparql``, Graph Store Protocol
PUT/POST/DELETE on ``/store``, ``POST /articles`` — calls :func:`require_write` first:

* writes off (``update_enabled`` false, the default): **403** in the JSON error shape;
* writes on but no ``update_token`` configured: **403** (an empty token never authorises);
* no ``Authorization: Bearer <token>`` header: **401** with
  ``WWW-Authenticate: Bearer realm="geokg"``; another token: **401** with
  ``WWW-Authenticate: Bearer realm="geokg", error="invalid_token"`` (RFC 6750 §3, §3.1: no
  error code when the request had no credentials).

Tokens are compared in constant time (``hmac.compare_digest``). The settings come
from the app config (``UPDATE_ENABLED``, ``UPDATE_TOKEN``: ``create_app({...})`` or
``KG_UPDATE_ENABLED`` / ``KG_UPDATE_TOKEN``) and are converted by the settings table's
own types, so ``KG_UPDATE_ENABLED=no`` means off.

All writes of one app run one at a time under :func:`write_lock` (so a GSP status
"created or replaced" is decided and acted on without another writer in between).
"""

from __future__ import annotations

import hmac
import logging
import threading

from flask import Flask, Request, current_app

from kg import settings
from kg.store import UpdateError
from service.errors import APIError, error_response

log = logging.getLogger(__name__)

EXTENSION = "geokg_writes"


class AuthError(APIError):
    """A 401 answered with a ``WWW-Authenticate`` challenge; ``error`` is its RFC 6750 error code, if any."""

    def __init__(self, status: int, title: str, detail: str, error: str | None = None) -> None:
        super().__init__(status, title, detail)
        self.error = error


def init_writes(app: Flask) -> None:
    """Set up the app's write lock and pipeline slot, and the 401 / failed-update handlers (idempotent)."""
    if EXTENSION in app.extensions:
        return
    app.extensions[EXTENSION] = {"lock": threading.Lock(), "pipeline": None, "pipeline_lock": threading.Lock()}
    app.register_error_handler(AuthError, _auth_error)
    app.register_error_handler(UpdateError, _update_error)


def _auth_error(exc: AuthError):
    response = error_response(exc.status, exc.title, exc.detail)
    challenge = 'Bearer realm="geokg"'
    response.headers["WWW-Authenticate"] = challenge + (f', error="{exc.error}"' if exc.error else "")
    return response


def _update_error(exc: UpdateError):
    return error_response(400, "Update failed", f"{exc}; nothing was written")


def _setting(name: str):
    """Setting ``name`` from the app config (key ``NAME``), else from the settings table."""
    setting = settings.SETTINGS_BY_NAME[name]
    value = current_app.config.get(name.upper())
    if value is None:
        return settings.get(name)
    default = setting.default_value()
    if isinstance(value, type(default)):
        return value
    if isinstance(default, bool) and isinstance(value, (int, str)):  # e.g. 1 or "no" from the environment
        return setting.type(str(value))
    return settings.get(name)  # a token the environment loader turned into a number: read it raw


def writes_enabled() -> bool:
    """Whether the app accepts writes at all (``update_enabled``)."""
    return bool(_setting("update_enabled"))


def require_write(req: Request, what: str) -> None:
    """Refuse the write ``what`` unless writes are on and the request carries the token.

    Raises:
        APIError: 403 writes off or no token configured.
        AuthError: 401 missing or wrong bearer token.
    """
    if not writes_enabled():
        raise APIError(403, "Writes disabled",
                       f"this endpoint is read-only: {what} needs writes enabled "
                       "(setting update_enabled, KG_UPDATE_ENABLED=true) and a bearer token (update_token)")
    token = str(_setting("update_token") or "")
    if not token:
        raise APIError(403, "Writes disabled", f"{what} is refused: writes are enabled but no update_token "
                                               "is configured (KG_UPDATE_TOKEN)")
    scheme, _, given = (req.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise AuthError(401, "Authorization required", f"{what} needs the header 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8")):
        log.warning("refused %s from %s: wrong bearer token", what, req.remote_addr)
        raise AuthError(401, "Invalid token", f"the bearer token does not authorise {what}", error="invalid_token")


def write_lock() -> threading.Lock:
    """The lock every write of the current app holds while it runs."""
    return current_app.extensions[EXTENSION]["lock"]
