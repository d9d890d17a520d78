"""Deployment checks (`enturf-server check --deploy`): the browser-only middleware and
the collected static files.

Django's own checks look for its CSRF and frame-options middleware by their exact
dotted paths (security.W002, W003, and W016 for the CSRF cookie behind it); Enturf runs
subclasses that skip the token API (`enturf_server.api.middleware`), so settings silence
those two and these checks ask the same questions of the classes actually configured.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.module_loading import import_string


def _configured(middleware: type) -> bool:
    return any(issubclass(import_string(path), middleware) for path in settings.MIDDLEWARE)


@register(Tags.security, deploy=True)
def browser_middleware(app_configs, **kwargs) -> list[Warning]:
    found: list[Warning] = []
    if not _configured(XFrameOptionsMiddleware):
        found.append(
            Warning(
                "No X-Frame-Options middleware in MIDDLEWARE: the admin can be framed.",
                id="enturf.W001",
            )
        )
    if not _configured(CsrfViewMiddleware):
        found.append(
            Warning(
                "No CSRF middleware in MIDDLEWARE: the admin's forms are unprotected.",
                id="enturf.W002",
            )
        )
    elif not settings.CSRF_COOKIE_SECURE:
        found.append(
            Warning(
                "CSRF_COOKIE_SECURE is off: set ENTURF_HTTPS=1 when the server is reached over HTTPS.",
                id="enturf.W003",
            )
        )
    return found


@register(Tags.staticfiles, deploy=True)
def collected_static_files(app_configs, **kwargs) -> list[Warning]:
    if (Path(settings.STATIC_ROOT) / "admin" / "css" / "base.css").is_file():
        return []
    return [
        Warning(
            f"{settings.STATIC_ROOT} has no collected static files: the admin and the API "
            "docs pages are unstyled until `enturf-server collectstatic --noinput` runs.",
            id="enturf.W004",
        )
    ]
