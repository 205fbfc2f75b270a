"""What tests, bench and load start: a PostgreSQL schema of their own, the portal as `make run`
starts it, and nginx with the shipped config in front of several portals.

Without CI=true something missing (PostgreSQL, nginx, Chromium) skips its tests with a notice;
under CI=true it is a failure.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

CI = os.environ.get("CI") == "true"
PG_ADMIN = os.environ.get("QINGXI_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def require(available: bool, what: str) -> None:
    """Skip when something is missing on a developer's machine; fail under CI."""
    if not available:
        if CI:
            pytest.fail(f"{what} is required under CI=true")
        pytest.skip(f"NOTICE: {what} is not available; skipped (fails under CI=true)")


def pg_schema_url() -> tuple[str, str]:
    schema = f"qx_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as err:  # noqa: BLE001 - any connection failure means "no server"
        require(False, f"PostgreSQL at {PG_ADMIN} ({err.__class__.__name__})")
    finally:
        admin.dispose()
    return schema, f"{PG_ADMIN}?options=-csearch_path%3D{schema}"


def drop_schema(schema: str) -> None:
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("QINGXI_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m qingxi setup` then `streamlit run server.py`, as `make run` does, on a temp database."""

    def __init__(self, folder: Path, demo: bool = True, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'e2e.db'}",
                    "QINGXI_PHOTO_DIR": str(folder / "photos"),
                    "QINGXI_DEMO_PASSWORDS": str(folder / "demo-passwords.txt")}
        self.env.pop("QINGXI_TILE_URL", None)
        self.env.update(env)
        subprocess.run([sys.executable, "-m", "qingxi", "setup", "--demo" if demo else "--no-demo"],
                       cwd=ROOT, env=self.env, check=True, capture_output=True)
        self.log = (folder / "streamlit.log").open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "server.py", f"--server.port={self.port}",
             "--server.address=127.0.0.1", "--server.headless=true", "--server.fileWatcherType=none",
             "--browser.gatherUsageStats=false"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait()

    def demo_password(self, username: str) -> str:
        """The random password `setup --demo` gave this demo account (from its owner-only file)."""
        from tests.support.demo_passwords import demo_password

        return demo_password(username, Path(self.env["QINGXI_DEMO_PASSWORDS"]))

    def _wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("streamlit exited; see its log")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError("streamlit did not become healthy")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class Proxy:
    """nginx with the shipped deploy/nginx.conf, pointed at the given app servers' ports."""

    NGINX = Path("/usr/sbin/nginx")
    CONF = ROOT / "deploy" / "nginx.conf"

    def __init__(self, folder: Path, ports: list[int]):
        require(self.NGINX.exists(), f"nginx at {self.NGINX} (apt-get install nginx)")
        port = free_port()
        text = self.CONF.read_text().replace("listen 8080;", f"listen 127.0.0.1:{port};")
        shipped = ["server 127.0.0.1:8501 max_fails=3 fail_timeout=10s;",
                   "server 127.0.0.1:8502 max_fails=3 fail_timeout=10s;"]
        ours = "\n        ".join(f"server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in ports)
        assert shipped[0] + "\n        " + shipped[1] in text, "deploy/nginx.conf no longer lists 8501 and 8502 so"
        text = text.replace(shipped[0] + "\n        " + shipped[1], ours)
        (folder / "nginx.conf").write_text(text)
        self.url = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen(self.command(folder / "nginx.conf", folder), stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(self.proc.stderr.read().decode()) from None
                if time.monotonic() > deadline:
                    raise TimeoutError("nginx did not answer") from None
                time.sleep(0.2)

    @classmethod
    def command(cls, conf: Path, folder: Path, *args: str) -> list[str]:
        """nginx on `conf` with its pid and error log in `folder`; in the foreground unless args."""
        return [str(cls.NGINX), "-c", str(conf), "-p", str(folder), "-e", str(folder / "error.log"),
                "-g", f"pid {folder / 'nginx.pid'};" + ("" if args else " daemon off;"), *args]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
