"""The test side of tests/hostile_worker.py: one persistent worker, restarted after a crash or a hang.

Worker.call() returns the worker's outcome, or ("crash", signal or exit status, stderr tail) when the
call killed it, or ("hang", seconds, stderr tail) when it did not answer in time. On Linux the
worker runs in its own network namespace (only `lo`, up), so no hostile address can leave the machine.
CSOCK_HOSTILE_WRAPPER (e.g. "valgrind --error-exitcode=99") runs the worker under another program.
"""
import os
import pickle
import queue
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER = os.path.join(HERE, "hostile_worker.py")
REPLY_TIMEOUT = float(os.environ.get("CSOCK_HOSTILE_REPLY_TIMEOUT", "10"))  # the worker's watchdog: 0.2 s


def _namespace_prefix():
    """`unshare -rn` (user + network namespace) with lo up, when this machine allows it; [] otherwise."""
    if not sys.platform.startswith("linux"):
        return []
    if not (shutil.which("unshare") and shutil.which("ip")):
        return []
    prefix = ["unshare", "-rn", "sh", "-c", 'ip link set lo up && exec "$@"', "hostile-netns"]
    probe = subprocess.run(prefix + ["true"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=30)
    return prefix if probe.returncode == 0 else []


class Worker:
    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="csock-hostile-")
        self.prefix = _namespace_prefix() + shlex.split(os.environ.get("CSOCK_HOSTILE_WRAPPER", ""))
        self.proc = None
        self.restarts = 0
        self.calls = 0

    @property
    def isolated(self):
        return bool(self.prefix) and self.prefix[0] == "unshare"

    def start(self):
        self._log = open(os.path.join(self.tmp, "stderr-%d.log" % self.restarts), "w+b")
        env = dict(os.environ, HOSTILE_TMP=self.tmp)
        env.pop("PYTHONUNBUFFERED", None)
        self.proc = subprocess.Popen(self.prefix + [sys.executable, WORKER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._log, env=env, cwd=self.tmp)
        self._replies = queue.Queue()
        threading.Thread(target=self._read_replies, args=(self.proc.stdout, self._replies), daemon=True).start()

    @staticmethod
    def _read_replies(stream, replies):
        """One reply per call; None once the worker is gone (a crash shows as end of file)."""
        while True:
            try:
                replies.put(pickle.load(stream))
            except Exception:  # EOFError, a reply cut short by the crash
                replies.put(None)
                return

    def _stderr_tail(self):
        self._log.flush()
        self._log.seek(0)
        return self._log.read()[-3000:].decode("utf-8", "replace")

    def _discard(self):
        """Ends the current worker (already dead, or hung) and returns its status and stderr tail."""
        try:  # a crashed worker closes its pipe a moment before it is reaped
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        status = self.proc.wait(timeout=30)
        for f in (self.proc.stdin, self.proc.stdout):
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
            pickle.dump((name, list(specs)), self.proc.stdin)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            status, tail = self._discard()
            return ("crash", status, tail)
        try:
            reply = self._replies.get(timeout=REPLY_TIMEOUT)
        except queue.Empty:
            self.proc.kill()
            _, tail = self._discard()
            return ("hang", REPLY_TIMEOUT, tail)
        if reply is None:
            status, tail = self._discard()
            return ("crash", status, tail)
        return reply

    def close(self):
        if self.proc is not None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc.stdout.close()
            self._log.close()
            self.proc = None
        shutil.rmtree(self.tmp, ignore_errors=True)
