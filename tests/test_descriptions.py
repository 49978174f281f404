"""The description format (docs/DESCRIPTIONS.md): what a file says, what it may not say, and the readiness kinds."""
import os
import socket

import pytest

from csock_compare import description, expect, inside, runner

PROGRAM = """[program]
name = "p"
c = "p.c"
port = "p.py"
role = "server"
ready = { tcp = 3600 }
"""


def _load(tmp_path, text, name="p.toml"):
    (tmp_path / name).write_text(text)
    return description.load(str(tmp_path / name))


def test_paths_are_relative_to_the_description(tmp_path):
    program = _load(tmp_path, PROGRAM).program
    assert program.c == str(tmp_path / "p.c") and program.port == str(tmp_path / "p.py")
    assert program.binary == str(tmp_path / ".build" / "p")
    assert program.build == ("cc", "-Wall", "-o", program.binary, program.c)
    assert program.idle == ("accept",) and program.ready == {"tcp": 3600}


def test_crossed_programs_give_every_side_assignment(tmp_path):
    (tmp_path / "other.toml").write_text(PROGRAM.replace('"p"', '"q"').replace("p.c", "q.c"))
    d = _load(tmp_path, PROGRAM.replace('role = "server"', 'role = "client"') + """
[[scenario]]
name = "x"
processes = [{ program = "other.toml", side = "both" }, { program = "other.toml", side = "both" },
             { program = "self" }, { peer = "send", bytes = 1 }]
""")
    runs = d.scenario("x").runs()
    assert runs[0] == {0: "C", 1: "C", 2: "C"} and len(runs) == 4  # both servers take one side together
    assert {d.scenario("x").run_name(r) for r in runs} >= {"C q + port p", "port q + port p"}


@pytest.mark.parametrize("text,message", [
    (PROGRAM + "colour = 1\n", "unknown key(s) colour"),
    (PROGRAM.replace('role = "server"', 'role = "daemon"'), "role must be"),
    (PROGRAM.replace("ready = { tcp = 3600 }", "ready = { sctp = 1 }"), "ready must be one of"),
    (PROGRAM + '[[scenario]]\nname = "x"\nprocesses = [{ peer = "send" }]\n', "nothing to compare"),
    (PROGRAM + '[[scenario]]\nname = "x"\nprocesses = [{ program = "self", side = "left" }]\n', "side must be"),
    (PROGRAM + '[[scenario]]\nname = "x"\nprocesses = [{ program = "self", speed = 2 }]\n', "unknown key(s) speed"),
    (PROGRAM + '[[scenario]]\nname = "x"\nstop_signal = "SIGFOO"\nprocesses = [{ program = "self" }]\n',
     "no signal name"),
    ("[program\n", "p.toml"),
    (PROGRAM + '[[scenario]]\nname = "x"\nerrata = [{ check = "magic" }]\nprocesses = [{ program = "self" }]\n',
     "check = one of usage-instead-of-crash"),
    (PROGRAM + '[[scenario]]\nname = "x"\nobserve = "luck"\nprocesses = [{ program = "self" }]\n',
     "observe must be one of burst"),
])
def test_a_wrong_description_is_one_clear_error(tmp_path, text, message):
    with pytest.raises(description.DescriptionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _load(tmp_path, text)


def test_stdin_parts_repeat():
    assert description.stdin_bytes([["A", 3], "\n"], "here") == b"AAA\n"
    with pytest.raises(description.DescriptionError):
        description.stdin_bytes([["A"]], "here")


def test_readiness_kinds(tmp_path):
    out = tmp_path / "out"
    out.write_bytes(b"listening on 7\n")
    assert inside.is_ready({"stdout": "listening"}, inside.snapshot(None), str(out))
    assert not inside.is_ready({"stdout": "ready"}, inside.snapshot(None), str(out))
    path = str(tmp_path / "s")
    ready = {"unix": path}
    before = inside.snapshot(ready)
    assert not inside.is_ready(ready, before, str(out))
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(path)
        assert not inside.is_ready(ready, before, str(out))  # bound, not listening yet: connect() would fail
        s.listen(1)
        assert inside.is_ready(ready, before, str(out))
        os.unlink(path)  # a stale file's server: a second one on the path is ready once it listens too
        second = inside.snapshot(ready)
        with socket.socket(socket.AF_UNIX) as t:
            t.bind(path)
            assert not inside.is_ready(ready, second, str(out))
            t.listen(1)
            assert inside.is_ready(ready, second, str(out))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        assert inside.is_ready({"udp": s.getsockname()[1]}, inside.snapshot(None), str(out))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        before = inside.snapshot({"tcp": "any"})
        s.listen(1)
        assert inside.is_ready({"tcp": s.getsockname()[1]}, before, str(out))
        assert inside.is_ready({"tcp": "any"}, before, str(out))


def test_expectations_stops_and_masks_are_read_and_checked(tmp_path):
    d = _load(tmp_path, PROGRAM + """masks = ["polling"]

[[scenario]]
name = "x"
masks = ["kernel-order"]
processes = [{ program = "self", name = "a", expect = { stdout = [{ ramp = 3 }], calls = ["^bind", ["^read", 2]] } },
             { stop = "a", signal = "SIGINT" },
             { program = "self", name = "second" }]
""")
    scenario = d.scenario("x")
    assert [p.name for p in scenario.processes] == ["a", "second"]
    assert scenario.stops == ((1, 0, 2),) and scenario.masks_of(0) == ("polling", "kernel-order")
    assert scenario.processes[0].expect == {"stdout": b"\x00\x01\x02", "calls": (("^bind", None), ("^read", 2))}
    run = runner.Run(name="a", argv=[], status=0, signal=None, stdout=b"\x00\x01\x02", stderr=b"", received=b"",
                     trace=["bind(fd3) = 0", "read(fd3) = 1"], side="C")
    assert expect.problems(run, scenario.processes[0].expect) == [
        "C a: 1 syscalls match '^read', expected 2"]


@pytest.mark.parametrize("text,message", [
    (PROGRAM + 'masks = ["luck"]\n', "masks are polling"),
    (PROGRAM + '[[scenario]]\nname = "x"\nprocesses = [{ program = "self", expect = { colour = 1 } }]\n',
     "expect takes calls"),
    (PROGRAM + '[[scenario]]\nname = "x"\nprocesses = [{ program = "self" }, { stop = "nobody" }]\n',
     "names \\(name = NAME\\) a process started before it"),
])
def test_a_wrong_expectation_mask_or_stop_is_one_clear_error(tmp_path, text, message):
    with pytest.raises(description.DescriptionError, match=message):
        _load(tmp_path, text)
