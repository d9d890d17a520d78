"""`enturf-pos --check`: is this installation whole? One JSON line, no window.

It opens the local database in the data folder (creating and migrating it as a start
would), then starts Qt without a window and reports::

    {"version": "0.1.0", "database": "/…/enturf-pos.sqlite3", "revision": "0012",
     "head": "0012", "registered": false, "qt": "6.11.3", "platform": "offscreen",
     "frozen": true, "problems": [], "warnings": []}

Exit 0 when nothing is missing; else 1, each problem also on stderr as a sentence saying
what is missing. Warnings (also on stderr) name what this computer lacks that the counter
can do without, such as the sound library QtMultimedia loads. It is what the packaged
build is tested with (tests/packaging/): the package metadata (the version), the
migrations, the resources, python-escpos's printer data, Qt's PDF, print and multimedia
parts and the modules the app imports only later (LATER_MODULES) must all be bundled.
`registered` says whether this counter's device token is at hand (the demo launcher asks).
"""

from __future__ import annotations

import importlib
import json
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata, resources
from pathlib import Path

from enturf_pos.config import PosConfig

DISTRIBUTION = "enturf"
RESOURCE_FILES = ("style.qss", "sounds/green.wav", "sounds/amber.wav", "sounds/red.wav")
# What the app imports only after its first window (a packaged build that lacks one of
# their imports fails the day a cashier opens that window or prints on that printer).
LATER_MODULES = (
    "enturf_pos.ui.cashier_window",
    "enturf_pos.ui.manager_window",
    "enturf_pos.ui.door.window",
    "enturf_pos.ui.door.camera_scanner",
    "enturf_pos.ui.seat_map_editor.editor",
    "enturf_pos.services.printing.escpos_device",
    "enturf_pos.services.printing.escpos_receipt",
    "enturf_pos.services.printing.escpos_raster",
    "enturf_pos.services.printing.escpos_reports",
    "zxingcpp",
)


@dataclass
class CheckReport:
    version: str | None = None
    database: str | None = None
    revision: str | None = None
    head: str | None = None
    registered: bool | None = None
    qt: str | None = None
    platform: str | None = None
    frozen: bool = field(default_factory=lambda: bool(getattr(sys, "frozen", False)))
    problems: list[str] = field(default_factory=list)
    # what works less well here but does not stop the counter (e.g. no sound library)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=False)


def package_version(report: CheckReport) -> None:
    try:
        report.version = metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        report.problems.append(
            f"the package metadata of {DISTRIBUTION!r} is missing (no version): "
            "a packaged build must copy it (copy_metadata)"
        )


def migrations_present(report: CheckReport) -> bool:
    from enturf_pos.models import schema_migrations

    versions = schema_migrations.MIGRATIONS / "versions"
    if any(versions.glob("[0-9]*.py")) and (schema_migrations.MIGRATIONS / "env.py").is_file():
        return True
    report.problems.append(f"the database migrations are missing ({versions})")
    return False


def bundled_files(report: CheckReport) -> None:
    try:
        root = resources.files("resources")
        missing = [name for name in RESOURCE_FILES if not root.joinpath(name).is_file()]
    except ModuleNotFoundError:
        missing = list(RESOURCE_FILES)
    if missing:
        report.problems.append(f"resource files are missing: {', '.join(missing)}")
    try:
        from escpos import capabilities  # reads its capabilities.json on import

        capabilities.get_profile("default")
    except Exception as error:  # a missing data file surfaces as one of several errors
        report.problems.append(f"python-escpos's printer data is missing or broken: {error}")


def local_database(report: CheckReport, config: PosConfig) -> None:
    from enturf_pos.models.schema_migrations import current_revision, head_revision
    from enturf_pos.services.session import device_service
    from enturf_pos.services.session.pos_context import open_context

    report.database = str(config.database_path)
    try:
        ctx = open_context(config)  # creates the folder and runs the migrations
    except Exception as error:
        report.problems.append(
            f"the local database {config.database_path} cannot be opened: {error}"
        )
        return
    try:
        report.revision = current_revision(ctx.db.engine)
        report.head = head_revision()
        if report.revision != report.head:
            report.problems.append(
                f"the local database is at revision {report.revision}, not {report.head}"
            )
        report.registered = device_service.has_credentials(ctx=ctx)
    finally:
        ctx.close()


def qt_parts(report: CheckReport) -> None:
    """Start Qt on its platform plugin (no window), and load the PDF, print and multimedia
    modules with the plugins they need."""
    from enturf_pos import qt_platform

    if problem := qt_platform.display_problem():
        report.problems.append(problem)
        return
    from PySide6.QtCore import QLibraryInfo, qVersion
    from PySide6.QtWidgets import QApplication

    report.qt = qVersion()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    report.platform = app.platformName()
    for module in ("QtPdf", "QtPrintSupport"):
        try:
            __import__(f"PySide6.{module}")
        except ImportError as error:
            report.problems.append(f"Qt's {module} module does not load: {error}")
    for name in LATER_MODULES:
        try:
            importlib.import_module(name)
        except Exception as error:  # an ImportError, or a data file a module reads
            report.problems.append(f"{name} does not load: {error!r}")
    try:
        from PySide6 import QtMultimedia  # noqa: F401
    except ImportError as error:
        # the door's sounds and camera only: they stay off (ui/door/verdict_sounds.py)
        report.warnings.append(
            f"Qt's QtMultimedia does not load ({error}): no door sounds or camera"
        )
    # where Qt looks for plugins (a packaged build points it into its own folder)
    folders = [Path(p) for p in app.libraryPaths()] or [
        Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    ]
    needed = ["multimedia"] + (["printsupport"] if sys.platform.startswith("linux") else [])
    for plugin_type in needed:
        if not any(any((folder / plugin_type).glob("*")) for folder in folders):
            report.problems.append(
                f"Qt's {plugin_type} plugins are missing (looked in {', '.join(map(str, folders))})"
            )


def run_check(config: PosConfig) -> int:
    report = CheckReport()
    package_version(report)
    bundled_files(report)
    if migrations_present(report):
        local_database(report, config)
    qt_parts(report)
    print(report.to_json(), flush=True)
    for warning in report.warnings:
        print(f"enturf-pos --check: warning: {warning}", file=sys.stderr)
    for problem in report.problems:
        print(f"enturf-pos --check: {problem}", file=sys.stderr)
    return 1 if report.problems else 0
