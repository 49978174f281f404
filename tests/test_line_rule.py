"""The line rule: line N of every Python port ports line N of its C original (csock_compare.line_rule)."""
import os
from pathlib import Path

import pytest

from csock_compare import description, line_rule

ROOT = os.path.dirname(description.default_folder())
PROGRAMS = list({p.c: p for path in description.find_descriptions(description.default_folder())
                 for p in description.load(path).uses}.values())
C_FUNCTIONS = line_rule.c_function_names([p.c for p in PROGRAMS])


def _rel(path):
    """path relative to the repository, with `/` on every OS (Windows' relpath gives `\\`)."""
    return Path(os.path.relpath(path, ROOT)).as_posix()


def test_the_descriptions_name_the_linux_ports():
    names = {(_rel(p.c), _rel(p.port)) for p in PROGRAMS}
    assert ("csrc/Linux/echo_server.c", "Linux/echo_server.py") in names
    assert ("csrc/Linux/echo_client.c", "Linux/echo_client.py") in names


def test_every_port_of_the_checkout_is_described():
    ports = {_rel(p.port) for p in PROGRAMS}
    for folder in ("Linux", "Windows"):
        for name in sorted(os.listdir(os.path.join(ROOT, folder))):
            if name.endswith(".py"):
                assert f"{folder}/{name}" in ports, f"{folder}/{name} has no description in descriptions/"


@pytest.mark.parametrize("program", PROGRAMS, ids=[_rel(p.port) for p in PROGRAMS])
def test_port_keeps_the_line_rule(program):
    with open(program.c, encoding="utf-8") as f:
        c_source = f.read()
    with open(program.port, encoding="utf-8") as f:
        py_source = f.read()
    found = line_rule.check_pair(c_source, py_source, C_FUNCTIONS, _rel(program.c), _rel(program.port))
    assert found is None, str(found)



@pytest.mark.parametrize("program", PROGRAMS, ids=[_rel(p.port) for p in PROGRAMS])
def test_port_without_the_signal_call_breaks_the_rule(program):
    with open(program.c, encoding="utf-8") as f:
        c_source = f.read()
    with open(program.port, encoding="utf-8") as f:
        py_source = f.read()
    call = "    restore_c_signals()"
    assert py_source.count(call) == 1, "the prologue calls csock.startup.restore_c_signals() once"
    without = "\n".join(line for line in py_source.split("\n") if not line.startswith(call))
    found = line_rule.check_pair(c_source, without, C_FUNCTIONS, _rel(program.c), _rel(program.port))
    assert found is not None and "signal dispositions" in found.reason, str(found)

# --- the checker itself must be able to fail ------------------------------------------------------

C = """#include <stdio.h>
#define PORT 3600
int main(int argc, char **argv)
{
    int fd; /* the socket */
    fd = socket(AF_INET, SOCK_STREAM, 0);
    addr.sin_port = htons(PORT);
    printf("socket( in a string\\n");

    return 0;
}
"""

PY = """from csock import socket, htons, printf  # <stdio.h>
PORT = 3600
def main(argc, argv):

    fd = 0  # the socket
    fd = socket(AF_INET, SOCK_STREAM, 0)
    addr.sin_port = htons(PORT)
    printf(b"socket( in a string\\n")

    return 0

if __name__ == "__main__":
    import os, sys
    from csock.startup import restore_c_signals
    restore_c_signals()
    try:
        sys.exit(main(len(sys.argv), [os.fsencode(arg) for arg in sys.argv]))
    except (ValueError, OverflowError) as refused:
        sys.exit(f"x.py: {refused}")
"""

FUNCTIONS = frozenset({"socket", "htons", "htonl", "printf", "main", "sizeof", "close"})


def _replace_line(source, number, text):
    lines = source.split("\n")
    lines[number - 1] = text
    return "\n".join(lines)


def test_a_faithful_pair_passes():
    assert line_rule.check_pair(C, PY, FUNCTIONS) is None


def test_a_different_function_is_reported_with_its_line_and_both_texts():
    broken = _replace_line(PY, 7, "    addr.sin_port = htonl(PORT)")
    found = line_rule.check_pair(C, broken, FUNCTIONS, "x.c", "x.py")
    assert found is not None and found.number == 7
    message = str(found)
    assert "x.py:7" in message and "htons(" in message and "htonl(" in message
    assert "addr.sin_port = htons(PORT);" in message and "addr.sin_port = htonl(PORT)" in message


def test_a_call_moved_to_the_next_line_is_reported_at_the_first_line():
    broken = _replace_line(_replace_line(PY, 6, "    fd = (0 if False else"), 7,
                           "          socket(AF_INET, SOCK_STREAM, 0)); addr.sin_port = htons(PORT)")
    found = line_rule.check_pair(C, broken, FUNCTIONS)
    assert found is not None and found.number == 6 and "socket(" in found.reason


def test_code_where_c_has_only_a_brace_is_reported():
    found = line_rule.check_pair(C, _replace_line(PY, 4, "    pass"), FUNCTIONS)
    assert found is not None and found.number == 4 and "no code" in found.reason


def test_a_blank_line_where_c_has_code_is_reported():
    found = line_rule.check_pair(C, _replace_line(PY, 5, "    # fd"), FUNCTIONS)
    assert found is not None and found.number == 5 and "has code" in found.reason


def test_an_extra_c_function_on_the_python_side_is_reported():
    found = line_rule.check_pair(C, _replace_line(PY, 5, "    fd = 0; close(fd)"), FUNCTIONS)
    assert found is not None and found.number == 5 and "Python calls close(" in found.reason


def test_strings_and_comments_do_not_count_as_calls():
    py = _replace_line(PY, 2, "PORT = 3600  # htons(PORT) would be wrong here")
    assert line_rule.check_pair(C, py, FUNCTIONS) is None
    c = _replace_line(C, 5, '    int fd; /* socket( fd ) */ char *s = "htons(";')
    assert line_rule.check_pair(c, PY, FUNCTIONS) is None


def test_ffi_sizeof_counts_as_sizeof_and_other_ffi_helpers_are_ignored():
    c = _replace_line(C, 5, "    int fd = sizeof(addr);")
    assert line_rule.check_pair(c, _replace_line(PY, 5, "    fd = ffi.sizeof(ffi.new('int *'))"), FUNCTIONS) is None
    found = line_rule.check_pair(c, _replace_line(PY, 5, "    fd = len(ffi.new('int *'))"), FUNCTIONS)
    assert found is not None and found.number == 5 and "sizeof(" in found.reason


def test_python_names_that_are_no_c_function_are_ignored():
    assert line_rule.check_pair(C, _replace_line(PY, 5, "    fd = int(str(0))"), FUNCTIONS) is None


def test_multi_line_c_comments_are_no_code():
    c = _replace_line(_replace_line(C, 9, "    /* a comment"), 10, "       over two lines */ return 0;")
    assert line_rule.check_pair(c, PY, FUNCTIONS) is None
    found = line_rule.check_pair(c, _replace_line(PY, 9, "    x = 1"), FUNCTIONS)
    assert found is not None and found.number == 9


def test_only_the_main_block_may_follow_the_last_c_line():
    found = line_rule.check_pair(C, PY + "print('more')\n", FUNCTIONS)
    assert found is not None and found.number == PY.count("\n") + 1 and "if __name__" in found.reason
    found = line_rule.check_pair(C, PY.replace('if __name__ == "__main__":', 'main(1, [b"x"])'), FUNCTIONS)
    assert found is not None and found.number == 12


def test_a_port_shorter_than_its_c_file_is_reported():
    short = "\n".join(PY.split("\n")[:6]) + "\n"
    found = line_rule.check_pair(C, short, FUNCTIONS)
    assert found is not None and found.number == 7


def test_c_function_names_come_from_the_c_files(tmp_path):
    (tmp_path / "a.c").write_text(
        'int main() { if (WSAStartup(MAKEWORD(2,2), &d) != 0) return 1; /* ignored( */ printf("no("); }\n')
    assert line_rule.c_function_names([str(tmp_path / "a.c")]) == {"main", "WSAStartup", "MAKEWORD", "printf"}


def test_a_described_c_file_without_port_is_a_problem(tmp_path):
    (tmp_path / "lonely.c").write_text("int main(void)\n{\n    return 0;\n}\n")
    (tmp_path / "lonely.toml").write_text('[program]\nname = "lonely"\nc = "lonely.c"\nport = "lonely.py"\n'
                                          'role = "client"\n')
    problems = line_rule.check_programs([description.load(str(tmp_path / "lonely.toml")).program])
    assert len(problems) == 1 and "lonely.py missing" in problems[0]


# --- the porting guide's rules (docs/PORTING.md), each shown failing ----------------------------------

CAST_C = _replace_line(C, 7, "    bind(fd, (struct sockaddr *)&addr, sizeof(addr));")
FUNCTIONS_WITH_BIND = FUNCTIONS | {"bind"}


def _style(c, py):
    found = line_rule.check_pair(c, py, FUNCTIONS_WITH_BIND)
    return (found.number, found.reason) if found else None


def test_a_cast_is_mirrored_by_ffi_cast_on_its_line():
    faithful = _replace_line(PY, 7, '    bind(fd, ffi.cast("struct sockaddr*", addr), ffi.sizeof(addr[0]))')
    assert _style(CAST_C, faithful) is None  # the type's spacing does not matter
    dropped = _replace_line(PY, 7, "    bind(fd, addr, ffi.sizeof(addr[0]))")
    number, reason = _style(CAST_C, dropped)
    assert number == 7 and 'ffi.cast("struct sockaddr*"' in reason and "casts" in reason
    other = _replace_line(PY, 7, '    bind(fd, ffi.cast("struct sockaddr_in *", addr), ffi.sizeof(addr[0]))')
    assert _style(CAST_C, other)[0] == 7


def test_an_address_passed_uncast_says_so():
    """docs/PORTING.md rule 4's one exception: the struct passed whole to csock, marked `# uncast:`."""
    marked = _replace_line(PY, 7, "    bind(fd, addr, ffi.sizeof(addr[0]))  # uncast: csock must see the whole struct")
    assert _style(CAST_C, marked) is None
    unmarked = _replace_line(PY, 7, "    bind(fd, addr, ffi.sizeof(addr[0]))  # csock must see the whole struct")
    assert _style(CAST_C, unmarked)[0] == 7


def test_imports_are_explicit_and_name_their_header():
    number, reason = _style(C, _replace_line(PY, 1, "from csock import *  # <stdio.h>"))
    assert number == 1 and "import *" in reason
    number, reason = _style(C, _replace_line(PY, 1, "from csock import socket, htons, printf"))
    assert number == 1 and "<stdio.h>" in reason
    number, reason = _style(C, _replace_line(PY, 1, "import csock  # <stdio.h>"))
    assert number == 1 and "imports from csock" in reason
    assert _style(C, _replace_line(PY, 1, "# <stdio.h>: nothing of it is used")) is None  # a comment may stand


def test_a_brace_is_a_blank_line_not_a_brace_comment():
    number, reason = _style(C, _replace_line(PY, 4, "    # {"))
    assert number == 4 and "braces" in reason
    assert _style(C, _replace_line(PY, 4, "    # the body")) is None


def test_code_keeps_cs_indentation():
    number, reason = _style(C, _replace_line(PY, 6, "        fd = socket(AF_INET, SOCK_STREAM, 0)"))
    assert number == 6 and "column 8, C's at 4" in reason


def test_the_main_block_restores_signals_passes_bytes_and_refuses_in_one_line():
    end = C.count("\n") + 1
    for without in ("", "    # restore_c_signals()\n", "    print('restore_c_signals()')\n"):  # gone, comment, string
        number, reason = _style(C, PY.replace("    restore_c_signals()\n", without))
        assert number == end and "signal dispositions" in reason and "restore_c_signals" in reason
    one_line = PY.replace("    from csock.startup import restore_c_signals\n    restore_c_signals()\n",
                          "    from csock.startup import restore_c_signals; restore_c_signals()\n")
    assert one_line != PY and _style(C, one_line) is None
    number, reason = _style(C, PY.replace("[os.fsencode(arg) for arg in sys.argv]", "sys.argv"))
    assert number == end and "os.fsencode" in reason
    number, reason = _style(C, PY.replace("except (ValueError, OverflowError)", "except ValueError"))
    assert number == end and "one line" in reason
