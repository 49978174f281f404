"""Fixtures shared by the C-vs-Python test modules."""
import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def tools():
    """unshare -rn and strace work and the C originals are built; in CI their absence fails, never skips."""
    from csock_compare import compare, runner  # Linux-only: imported when a Linux scenario test asks for it

    try:
        runner.check_tools()
    except runner.ToolMissing as e:
        if IN_CI:
            pytest.fail(f"the C-vs-Python scenarios cannot run in CI: {e}")
        pytest.skip(f"the C-vs-Python scenarios need unshare -rn and strace: {e}")
    runner.prepare(compare.descriptions_of([]))


# Modules whose first test keeps pytest silent for a long while (benchmark run, fault matrix, scenarios) say what
# they are doing before it starts, after the module's name.
SLOW_MODULES = {
    "tests/test_bench_smoke.py": "bench/run.py on a tiny load: ~1 min",
    "tests/test_faults.py": "the fault matrix: ~30 s",
    "tests/test_linux_echo.py": "C/Python scenarios: ~15 s",
}
_reporter = None


@pytest.hookimpl(trylast=True)  # after the terminal plugin has registered its reporter
def pytest_configure(config):
    global _reporter
    from csock_compare.runner import start_programs_as_a_terminal_would
    start_programs_as_a_terminal_would()  # every test's programs, not only the harness's: a nohup'd run is the same
    _reporter = config.pluginmanager.get_plugin("terminalreporter")


@pytest.hookimpl(trylast=True)  # after the reporter has written the module's name
def pytest_runtest_logstart(nodeid, location):
    what = SLOW_MODULES.pop(nodeid.split("::")[0], None)
    if what and _reporter is not None:
        _reporter.write(f"({what}) ", flush=True)
