"""One cross-OS run, inside a fresh network namespace (test_cross_os.py starts it under `unshare -n`):
a native Linux echo server on 3600, then a Windows client under wine; prints what each side showed, as JSON.

The prefix's wineserver creates every wine socket, so it is started here, in this namespace, and killed after."""
import json
import os
import subprocess
import sys
import time

WINE = os.environ.get("WINE", "/usr/lib/wine/wine64")
WINESERVER = os.environ.get("WINESERVER", "/usr/lib/wine/wineserver")


def listening(port):
    """True once a TCP socket of this namespace listens on port, or a UDP socket is bound to it (read from /proc,
    without connecting)."""
    for path, state in (("/proc/net/tcp", "0A"), ("/proc/net/udp", "07")):
        with open(path) as table:
            for row in table.readlines()[1:]:
                fields = row.split()
                if fields[3] == state and int(fields[1].rsplit(":", 1)[1], 16) == port:
                    return True
    return False


def main(server_cmd, client_cmd, message):
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    subprocess.run([WINESERVER, "-p"], check=True)  # refuses to start if this prefix's server runs elsewhere
    try:
        # The prefix's services, booted on /dev/null: started by the client they would hold its pipes open.
        subprocess.run([WINE, "wineboot"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=300, check=True)
        # stdbuf: the server's printf goes to a pipe, fully buffered, and it is killed at the end.
        server = subprocess.Popen(["stdbuf", "-oL", *server_cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 20
            while not listening(3600) and time.monotonic() < deadline and server.poll() is None:
                time.sleep(0.05)
            if not listening(3600):
                return {"error": "the Linux echo server did not listen on (or bind) 3600"}
            # wine's python.exe cannot open a file as a standard stream, hence pipes.
            client = subprocess.run([WINE, *client_cmd], input=message.encode("latin-1"), stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, timeout=120)
        finally:
            server.kill()
            server_out, _ = server.communicate(timeout=10)
        return {"client_stdout": client.stdout.decode("latin-1"), "client_status": client.returncode,
                "server_stdout": server_out.decode("latin-1")}
    finally:
        subprocess.run([WINESERVER, "-k"])
        subprocess.run([WINESERVER, "-w"], timeout=60)


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3])))
