"""The Windows family of issue 14 (UDP, select, WSAPoll, non-blocking, IPv6, WSAEventSelect), C (.exe) against
their Python ports (Windows/*.py), under the Windows interpreter: every scenario of their descriptions
(descriptions/Windows/*.toml but the book's echo pair, which test_windows_echo.py runs), in every side
assignment, judged by the verdict every OS shares (exit status, stdout, stderr, +winsock calls), then what each
process's description expects of it (`expect`: its stdout, per wine version where wine decides it, ERRATA WF5)."""
import os

import pytest

from csock_compare import compare, description

SCENARIOS = compare.named_scenarios(os.path.join(description.default_folder(), "Windows"), "compare",
                                    leave_out=("echo_server.toml", "echo_client.toml"))


def test_every_scenario_expects_what_its_program_prints():
    """The outputs are written in the descriptions: a scenario whose own program expects no stdout proves less."""
    def expects_stdout(expected):
        return bool({"stdout", "stdout_matches"} & set(expected)) or (
            "wine" in expected and all(expects_stdout(one) for one in expected["wine"].values()))
    bare = [name for name, scenario in SCENARIOS.items()
            if not any(process.program and process.side in ("tested", "both") and expects_stdout(process.expect)
                       for process in scenario.processes)]
    assert SCENARIOS and not bare, f"scenarios expecting no stdout of their program: {bare}"


@pytest.mark.usefixtures("private_netns")
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_c_and_port_agree(name):
    found, results = compare.judged(SCENARIOS[name])
    assert found.ok, found.text + "".join(
        f"\n--- {result.sides} {run.name} {run.outcome()}: {run.stdout!r} {run.stderr[-300:]!r}\n" + "\n".join(run.trace[:60])
        for result in results for run in result.processes)
    for process in results[0].processes:
        if process.side == "C":
            assert not process.timed_out or process.name == "server", f"{process.name} hung"
