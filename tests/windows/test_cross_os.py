"""Cross-OS: the Windows clients (C .exe, and their Python ports under the Windows interpreter), run by wine, against
the Linux servers (C, and their ports), native: the "cross-os" scenarios of descriptions/Windows/*.toml, run by the
harness on Linux (a fresh network namespace per run, the wineserver started in it; the Windows process untraced),
in every side assignment, judged by the same verdict as every scenario, with what each process is expected to do.
Run natively by tests/windows/run."""
import os

import pytest

from csock_compare import compare, description, report, runner

FOLDER = os.path.join(description.default_folder(), "Windows")
SCENARIOS = compare.named_scenarios(FOLDER, "cross-os")


@pytest.fixture(scope="module")
def prepared():
    runner.prepare({s.source: description.load(s.source) for s in SCENARIOS.values()}.values())


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_windows_client_against_the_linux_server(name, prepared):
    found, results = compare.judged(SCENARIOS[name])
    assert found.ok, found.text + "\n" + report.details(SCENARIOS[name], results)
    assert len(results) == 4  # C or port server x C or port client
