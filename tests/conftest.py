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
