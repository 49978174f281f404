"""The test side of tests/hostile_worker.py: one persistent worker, restarted after a crash or a hang.

Worker.call() returns the worker's outcome, or ("crash", signal or exit status, stderr tail) when the
call killed it, or ("hang", seconds, stderr tail) when it did not answer in time. On Linux as root the
worker runs in its own network namespace (only `lo`, up), so no hostile address can leave the machine.
"""
import os
import pickle
import select
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER = os.path.join(HERE, "hostile_worker.py")
REPLY_TIMEOUT = 10.0  # seconds: the worker's own watchdog cuts blocking calls after 0.2 s


def _namespace_prefix():
    """`unshare -n` with lo up, when this machine allows it; [] otherwise."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return []
    if not (shutil.which("unshare") and shutil.which("ip")):
        return []
    prefix = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "hostile-netns"]
    probe = subprocess.run(prefix + ["true"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=30)
    return prefix if probe.returncode == 0 else []


class Worker:
    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="csock-hostile-")
        self.prefix = _namespace_prefix()
        self.proc = None
        self.restarts = 0
        self.calls = 0

    @property
    def isolated(self):
        return bool(self.prefix)

    def start(self):
        to_child_r, self._to_child_w = os.pipe()
        self._from_child_r, from_child_w = os.pipe()
        self._log = open(os.path.join(self.tmp, "stderr-%d.log" % self.restarts), "w+b")
        env = dict(os.environ, HOSTILE_TMP=self.tmp)
        env.pop("PYTHONUNBUFFERED", None)
        cmd = self.prefix + [sys.executable, WORKER, str(to_child_r), str(from_child_w)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=self._log, pass_fds=(to_child_r, from_child_w), env=env,
                                     cwd=self.tmp)
        os.close(to_child_r)
        os.close(from_child_w)
        self._writer = os.fdopen(self._to_child_w, "wb", buffering=0)
        self._reader = os.fdopen(self._from_child_r, "rb", buffering=0)

    def _stderr_tail(self):
        self._log.flush()
        self._log.seek(0)
        return self._log.read()[-3000:].decode("utf-8", "replace")

    def _discard(self):
        """Ends the current worker (already dead, or hung) and returns its stderr tail."""
        try:  # a crashed worker closes its pipe a moment before it is reaped
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        status = self.proc.wait(timeout=30)
        for f in (self._writer, self._reader):
            try:
                f.close()
            except OSError:
                pass
        tail = self._stderr_tail()
        self._log.close()
        self.proc = None
        self.restarts += 1
        return status, tail

    def call(self, name, specs):
        if self.proc is None:
            self.start()
        self.calls += 1
        try:
            pickle.dump((name, list(specs)), self._writer)
        except BrokenPipeError:
            status, tail = self._discard()
            return ("crash", status, tail)
        ready, _, _ = select.select([self._reader], [], [], REPLY_TIMEOUT)
        if not ready:
            self.proc.kill()
            _, tail = self._discard()
            return ("hang", REPLY_TIMEOUT, tail)
        try:
            return pickle.load(self._reader)
        except (EOFError, pickle.UnpicklingError):
            status, tail = self._discard()
            return ("crash", status, tail)

    def close(self):
        if self.proc is not None:
            self._writer.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self._reader.close()
            self._log.close()
            self.proc = None
        shutil.rmtree(self.tmp, ignore_errors=True)
