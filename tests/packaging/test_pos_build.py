"""The packaged counter (`make dist`): the built program runs on its own, offscreen, with
no checkout on its path, and holds what it needs and not what it does not."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from alembic.script import ScriptDirectory
from PyInstaller.archive.readers import CArchiveReader
from support.packaged import DIST, check_report, outside_env

from enturf_pos.models.schema_migrations import MIGRATIONS

# The counter imports none of these; the spec excludes them (packaging/enturf-pos.spec).
LEFT_OUT_MODULES = (
    "django",
    "rest_framework",
    "enturf_server",
    "enturf_demo",
    "gateway_sim",
    "gunicorn",
    "psycopg",
    "pytest",
    "hypothesis",
    "PyInstaller",
    "PySide6.QtWebEngineCore",
    "PySide6.Qt3DCore",
)
LEFT_OUT_LIBRARIES = ("Qt6WebEngineCore", "Qt63DCore", "Qt6Quick3D", "Qt6Designer")


def newest_head() -> str:
    (head,) = ScriptDirectory(str(MIGRATIONS)).get_heads()
    return head


def run_binary(binary: Path, *args: str, data_dir: Path, **env: str | None):
    return subprocess.run(
        [str(binary), *args, "--data-dir", str(data_dir)],
        env=outside_env(QT_QPA_PLATFORM="offscreen", ENTURF_POS_DATA_DIR=None, **env),
        cwd=tempfile.gettempdir(),  # not the checkout
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_check_on_a_fresh_data_dir(pos_binary, package_version, tmp_path):
    data_dir = tmp_path / "pos-data"

    done = run_binary(pos_binary, "--check", data_dir=data_dir)

    assert done.returncode == 0, done.stdout + done.stderr
    report = check_report(done.stdout)
    assert report["version"] == package_version
    assert report["revision"] == report["head"] == newest_head()
    assert report["database"] == str(data_dir / "enturf-pos.sqlite3")
    assert (data_dir / "enturf-pos.sqlite3").is_file()
    assert report["frozen"] is True  # the build ran, not the source
    assert report["platform"] == "offscreen"
    assert report["qt"]
    assert report["registered"] is False
    assert report["problems"] == []
    assert "Traceback" not in done.stderr


def test_check_names_a_data_dir_it_cannot_use(pos_binary, tmp_path):
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder")

    done = run_binary(pos_binary, "--check", data_dir=in_the_way / "pos-data")

    assert done.returncode == 1
    assert "cannot be opened" in done.stderr and "Traceback" not in done.stderr


def test_the_build_shows_its_first_window(pos_binary, tmp_path):
    """Beyond --check: the style sheet, the windows and their imports load when frozen."""
    done = run_binary(pos_binary, data_dir=tmp_path / "pos-data", ENTURF_POS_EXIT_WHEN_SHOWN="1")

    assert done.returncode == 0, done.stdout + done.stderr
    assert "first-window setupWindow" in done.stdout
    assert "Traceback" not in done.stderr


def test_the_archive_holds_the_programs_and_their_data(pos_binary, pos_cli_binary, package_version):
    stem = f"enturf-pos-{package_version}-"
    (archive,) = [
        p for p in DIST.iterdir() if p.name.startswith(stem) and p.suffix in (".gz", ".zip")
    ]
    if archive.suffix == ".zip":
        names = set(zipfile.ZipFile(archive).namelist())
    else:
        with tarfile.open(archive) as tar:
            names = set(tar.getnames())
    inside = "enturf-pos/_internal/"
    expected = {
        f"enturf-pos/{pos_binary.name}",
        f"enturf-pos/{pos_cli_binary.name}",
        f"{inside}enturf_pos/models/migrations/env.py",
        f"{inside}resources/style.qss",
        f"{inside}resources/sounds/green.wav",
        f"{inside}escpos/capabilities.json",
    }
    assert expected <= names, expected - names
    # the package metadata (importlib.metadata.version), as installed or built in the checkout
    assert {
        f"{inside}enturf-{package_version}.dist-info/METADATA",
        f"{inside}enturf.egg-info/PKG-INFO",
    } & names
    head = newest_head()
    assert any(
        n.startswith(f"{inside}enturf_pos/models/migrations/versions/{head}_") for n in names
    )


def test_what_the_counter_does_not_use_is_left_out(pos_binary):
    archive = CArchiveReader(str(pos_binary)).open_embedded_archive("PYZ.pyz")
    modules = set(archive.toc)
    bundled = [
        name
        for name in LEFT_OUT_MODULES
        if name in modules or any(m.startswith(f"{name}.") for m in modules)
    ]
    assert bundled == []
    assert {"enturf_pos.self_check", "alembic.op", "escpos.printer"} <= modules

    files = [p.name for p in pos_binary.parent.rglob("*") if p.is_file()]
    assert [f for f in files if any(lib in f for lib in LEFT_OUT_LIBRARIES)] == []
    assert any("Qt6Charts" in f for f in files)  # the Reports tab's charts


def test_qt_pdf_print_and_multimedia_parts_are_bundled(pos_binary):
    qt = pos_binary.parent / "_internal" / "PySide6"
    plugins = qt / "plugins" if sys.platform == "win32" else qt / "Qt" / "plugins"
    assert any((plugins / "multimedia").iterdir())
    assert any((plugins / "platforms").glob("*offscreen*"))
    assert any((plugins / "imageformats").glob("*pdf*"))
    if sys.platform.startswith("linux"):
        assert any((plugins / "printsupport").glob("*cups*"))
    libraries = [p.name for p in pos_binary.parent.rglob("*") if p.is_file()]
    for part in ("Qt6Pdf", "Qt6PrintSupport", "Qt6Multimedia"):
        assert any(part in name for name in libraries), part
