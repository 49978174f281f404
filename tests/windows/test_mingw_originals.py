"""The book's Windows programs, restored (csrc/Windows/*.c): they compile with mingw-w64 with only the book's own
warnings, and every line is the book's (from the seed document) unless it is marked `restored`.
Run natively by tests/windows/run (mingw-w64 is a Linux cross-compiler)."""
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
PROGRAMS = ["echo_server", "echo_client"]
# The book's own warnings: the server stores recv's and send's results in variables it never reads.
EXPECTED_WARNINGS = {"echo_server": {"readn", "writen"}, "echo_client": set()}


def seed_lines():
    seeds = sorted(SEEDS.glob("002_*.txt"))
    assert seeds, f"the seed document 002_… is not in {SEEDS}"
    text = seeds[0].read_text(encoding="utf-8")
    return {" ".join(line.split()) for line in text[text.index("echo_server.c - Windows version"):].splitlines()}


@pytest.mark.parametrize("name", PROGRAMS)
def test_original_compiles_with_mingw_wall(tmp_path, name):
    done = subprocess.run(["x86_64-w64-mingw32-gcc", "-Wall", str(ROOT / "csrc" / "Windows" / f"{name}.c"),
                           "-o", str(tmp_path / f"{name}.exe"), "-lws2_32"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    warned = set(re.findall(r"variable ‘(\w+)’ set but not used", done.stderr))
    assert warned == EXPECTED_WARNINGS[name], done.stderr
    assert done.stderr.count("warning:") == len(warned), done.stderr


@pytest.mark.parametrize("name", PROGRAMS)
def test_every_line_is_the_books_or_marked_restored(name):
    book = seed_lines()
    source = (ROOT / "csrc" / "Windows" / f"{name}.c").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(source, 1):
        if "restored" in line:
            continue
        assert " ".join(line.split()) in book, f"{name}.c:{number} is not the book's and not marked: {line!r}"
