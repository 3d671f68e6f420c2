"""The one-folder builds (slow: about two minutes): PyInstaller builds the clinic and the
county edition from packaging/xiangyi.spec, ``--self-test`` passes offscreen, the clinic
build carries no test or development packages, no unused Qt parts and no PostgreSQL
driver (and says so when asked to open PostgreSQL), the county build opens a real
PostgreSQL database, and a missing or damaged built-in file gives a clear message
instead of a crash."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

from build import executable, folder_size  # noqa: E402

DEV_PACKAGES = {
    "pytest", "_pytest", "pytestqt", "hypothesis", "mypy", "ruff", "importlinter", "grimp",
    "jsonschema", "PyInstaller", "pip", "setuptools", "babel", "tkinter",
    "case_bank.generators.chest", "case_bank.generators.fundus", "case_bank.generators.figures",
}  # fmt: skip


class Built:
    def __init__(self, app: Path, work: Path, seconds: float) -> None:
        self.app, self.work, self.seconds = app, work, seconds


def _build(factory: pytest.TempPathFactory, edition: str) -> Built:
    dist = factory.mktemp("dist")
    work = factory.mktemp("work")
    started = time.perf_counter()
    command = [sys.executable, ROOT / "packaging" / "build.py", "--edition", edition]
    subprocess.run(
        [*command, "--dist", dist, "--work", work],
        check=True,
        timeout=900,
    )
    folder = "xiangyi" if edition == "clinic" else f"xiangyi-{edition}"
    return Built(dist / folder, work, time.perf_counter() - started)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory, "clinic")


@pytest.fixture(scope="module")
def built_county(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory, "county")


def _run(built: Built, *args: str, home: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XIANGYI_DATA_DIR": str(home / "data"),
        "QT_QPA_PLATFORM": "offscreen",
        "XIANGYI_LANG": "en",
    }
    command = [str(executable(built.app)), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)


def test_self_test_passes_in_the_bundle(built: Built, tmp_path: Path) -> None:
    print(f"build took {built.seconds:.0f} s")
    result = _run(built, "--self-test", home=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "files match the build's manifest" in result.stdout
    assert "[Passed] Verification: PDF, Open Badge and code valid" in result.stdout
    assert "[Passed] Viewer, AI kind ecg" in result.stdout
    assert "[Passed] Studio editor, AI kind ecg" in result.stdout  # generates a signal
    assert "PostgreSQL for a county hub: not in this build" in result.stdout


def _modules(built: Built) -> set[str]:
    from PyInstaller.archive.readers import ZlibArchiveReader

    return set(ZlibArchiveReader(str(built.work / "xiangyi" / "PYZ-00.pyz")).toc)


def test_clinic_build_is_lean_and_has_no_postgresql(built: Built, tmp_path: Path) -> None:
    internal = built.app / "_internal"
    size = folder_size(built.app) / 2**20
    print(f"clinic build: {size:.1f} MiB")
    # A guard against something large creeping back in. This build uses the development
    # environment's numpy wheel, about 31 MiB more than the release build's (make dist:
    # 141.6 MiB, packaging/README.md); 216–228 MiB before the editions and the trimming.
    assert size < 180
    assert not [m for m in _modules(built) if m.split(".")[0].startswith("psycopg")]
    assert not list(internal.glob("psycopg*"))
    assert not list(internal.rglob("QtOpenGL.*"))  # the binding, not QtOpenGLWidgets
    assert not list(internal.rglob("libssl*")) and not list(internal.rglob("_ssl*"))
    if sys.platform.startswith("linux"):
        (icu,) = [p for p in internal.rglob("libicudata.so*") if not p.is_symlink()]
        assert icu.stat().st_size < 8 * 2**20

    result = _run(
        built, "--db", "postgresql://hub@localhost/xiangyi", "db", "upgrade", home=tmp_path
    )
    assert result.returncode != 0
    assert "it is the clinic build" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_county_build_opens_a_postgresql_hub(
    built_county: Built, pg_empty_url: str, tmp_path: Path
) -> None:
    assert {"psycopg", "psycopg_binary"} <= {m.split(".")[0] for m in _modules(built_county)}
    result = _run(built_county, "--self-test", home=tmp_path / "a")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PostgreSQL for a county hub: available" in result.stdout

    result = _run(built_county, "--db", pg_empty_url, "db", "upgrade", home=tmp_path / "b")
    assert result.returncode == 0, result.stdout + result.stderr
    result = _run(built_county, "--db", pg_empty_url, "db", "upgrade", home=tmp_path / "b")
    assert result.returncode == 0, result.stdout + result.stderr
    from records.migrations import HEAD_REVISION

    assert f"up to date (schema {HEAD_REVISION})" in result.stdout


def _first_party_imports(module: str) -> set[str]:
    """Every first-party module ``module`` imports, at the top or inside a function
    (lazy imports are how heavy screens load), leaving out ``if TYPE_CHECKING:`` blocks."""
    import ast

    from xiangyi.installation import PACKAGES

    path = ROOT / Path(*module.split("."))
    source = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    package = module if path.is_dir() else module.rpartition(".")[0]
    if not source.exists():  # a namespace package (a folder of data files): no code
        return set()
    tree = ast.parse(source.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        test = node.test if isinstance(node, ast.If) else None
        if "TYPE_CHECKING" in (getattr(test, "id", ""), getattr(test, "attr", "")):
            node.body = []  # typing.TYPE_CHECKING or TYPE_CHECKING: never run
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)  # "from a.b import c": a.b must exist; c too if it is a module
            for alias in node.names:
                child = ROOT / Path(*f"{base}.{alias.name}".split("."))
                if child.is_dir() or child.with_suffix(".py").is_file():
                    found.add(f"{base}.{alias.name}")
    return {name for name in found if name.split(".")[0] in PACKAGES}


def test_every_first_party_import_is_in_the_bundle(built: Built) -> None:
    # The build leaves development modules out (the asset generators); a screen that
    # imports one lazily would fail only when a user opens it. The studio's ECG editor
    # does use the ECG generator, which is why that one is bundled.
    from xiangyi.installation import PACKAGES

    modules = _modules(built)
    first_party = sorted(m for m in modules if m.split(".")[0] in PACKAGES)
    assert "case_bank.generators.ecg" in modules and "desktop.studio.ai_editors.ecg" in modules
    missing = {
        (module, name)
        for module in first_party
        for name in _first_party_imports(module)
        if name not in modules
    }
    assert not missing


def test_bundle_holds_the_app_only(built: Built) -> None:
    internal = built.app / "_internal"
    modules = _modules(built)
    leaked = {m for m in modules for dev in DEV_PACKAGES if m == dev or m.startswith(dev + ".")}
    assert not leaked
    assert {"desktop.shell", "desktop.renderers.ecg", "records.credentials.verify"} <= modules
    qt = sorted(p.name for p in internal.rglob("*Qt6*") if not p.is_symlink())
    unused = ("Quick", "Qml", "WebEngine", "Network", "Multimedia", "3D", "Pdf", "Wayland")
    assert not [name for name in qt if any(u in name for u in unused)]
    platforms = {p.name for p in internal.rglob("platforms/*")}
    assert platforms <= {"libqxcb.so", "libqoffscreen.so", "libqminimal.so", "qwindows.dll",
                         "qoffscreen.dll", "qminimal.dll"}  # fmt: skip
    assert not list(internal.rglob("imageformats/*"))
    assert not [p for p in internal.rglob("*") if p.is_symlink() and not p.exists()]
    assert (internal / "case_bank" / "packs").is_dir()
    assert list((internal / "xiangyi" / "locale").rglob("*.mo"))
    licences = built.app / "THIRD-PARTY-LICENCES"
    index = (licences / "README.txt").read_text(encoding="utf-8")
    assert "PySide6_Essentials" in index and "numpy" in index and "Python" in index
    assert list(licences.glob("PySide6_Essentials-*/LGPL-3.0.txt"))


def test_damaged_content_is_reported_not_a_crash(built: Built, tmp_path: Path) -> None:
    internal = built.app / "_internal"
    case = sorted((internal / "case_bank" / "packs").rglob("cases/*.yaml"))[0]
    lesson = sorted((internal / "courses" / "modules").rglob("*.md"))[0]
    saved = tmp_path / "saved"
    saved.mkdir()
    shutil.copy2(case, saved / case.name)
    shutil.copy2(lesson, saved / lesson.name)
    try:
        # Same size, other bytes: only the checksums of the self-test can tell.
        case.write_bytes(b"#" * case.stat().st_size)
        result = _run(built, "--self-test", home=tmp_path / "a")
        assert result.returncode == 1
        relative = case.relative_to(internal).as_posix()
        assert f"changed or damaged: {relative}" in result.stdout
        assert "Reinstall Xiangyi" in result.stdout
        assert "Traceback" not in result.stdout + result.stderr

        # A missing file: the window says so at start and waits for "Quit".
        lesson.unlink()
        home = tmp_path / "b"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "XIANGYI_DATA_DIR": str(home / "data"),
            "QT_QPA_PLATFORM": "offscreen",
        }
        app = subprocess.Popen(
            [str(executable(built.app, cli=False))],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        log = home / "data" / "logs" / "xiangyi.log"
        try:
            deadline = time.monotonic() + 60
            text = ""
            while time.monotonic() < deadline and "DamagedInstallation" not in text:
                time.sleep(0.2)
                text = log.read_text(encoding="utf-8") if log.exists() else ""
                assert app.poll() is None, "the app ended instead of explaining the problem"
            assert "DamagedInstallation" in text
            # The window speaks the PC's language (Chinese on a fresh PC); the path is the same.
            assert lesson.relative_to(internal).as_posix() in text
        finally:
            app.kill()
            app.wait()
        result = _run(built, "--self-test", home=tmp_path / "c")
        assert result.returncode == 1
        assert f"missing: {lesson.relative_to(internal).as_posix()}" in result.stdout
    finally:
        shutil.copy2(saved / case.name, case)
        shutil.copy2(saved / lesson.name, lesson)
