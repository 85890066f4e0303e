"""Starts `tensorboard --logdir LOG_DIR` on 127.0.0.1 (a free port), asks its HTTP API for the
scalars of RUN/TAG (/data/plugin/scalars/scalars) and prints them as JSON [[step, value], ...],
then stops the server. The ember tensorboard tests run it with the golden venv
(build/golden-venv/bin/python). Usage: tensorboard_http.py LOG_DIR RUN TAG"""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    log_dir, run, tag = sys.argv[1:4]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tensorboard.main", "--logdir", log_dir, "--host", "127.0.0.1",
         "--port", str(port), "--reload_interval", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    query = urllib.parse.urlencode({"run": run, "tag": tag})
    url = "http://127.0.0.1:%d/data/plugin/scalars/scalars?%s" % (port, query)
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    rows = json.load(response)  # [[wall_time, step, value], ...]
                if rows:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if time.time() > deadline or server.poll() is not None:
                sys.exit("tensorboard did not serve %s" % url)
            time.sleep(0.5)
        json.dump([[step, value] for _, step, value in rows], sys.stdout)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
