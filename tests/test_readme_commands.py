"""README's two commands are what CI and the release check run: .ci/run's last line is README's test command."""
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent


def readme_command(which):
    return subprocess.run(["bash", str(ROOT / "tools" / "readme_commands.sh"), which], capture_output=True,
                          text=True, check=True, timeout=10).stdout.strip()


def test_ci_runs_readme_test_command_exactly():
    ci_lines = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci_lines[-1] == readme_command("tests")


def test_both_commands_start_with_setup_and_use_the_project_venv():
    main_job, tests = readme_command("main"), readme_command("tests")
    assert main_job == "bash setup.sh && .venv/bin/python -m csock.compare"
    assert tests.startswith("bash setup.sh && .venv/bin/python -m pytest")
    assert "#" not in main_job + tests
