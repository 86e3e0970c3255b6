"""Redis outages on demand for tests: a closed port, a server that never answers, a cable that can be cut.

The development and CI machines run Redis on 127.0.0.1:6379. Tests that need it use their own key prefix
on one database (REDIS_URL's when set, else 15) and never flush it.
"""

import os
import socket
import threading
import uuid
from contextlib import contextmanager, suppress
from urllib.parse import urlsplit

from django.test import override_settings

from tests.govlearn.envs import PRODUCTION_ENV, settings_values

CLOSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1
DEV_REDIS = ("127.0.0.1", 6379)


def dev_redis_db() -> int:
    path = urlsplit(os.environ.get("REDIS_URL", "")).path.strip("/")
    return int(path) if path.isdigit() else 15


def production_caches(redis_url: str, key_prefix: str | None = None, **options) -> dict:
    """The CACHES setting production derives from REDIS_URL (read from the real settings module), with a
    key prefix of this test's own and any OPTIONS overridden."""
    caches = settings_values(["CACHES"], REDIS_URL=redis_url, **PRODUCTION_ENV)["CACHES"]
    caches["default"]["KEY_PREFIX"] = key_prefix or f"govlearn-test-{uuid.uuid4().hex}"
    caches["default"]["OPTIONS"].update(options)
    return caches


@contextmanager
def site_cache(redis_url: str, key_prefix: str | None = None, clear: bool = True, **options):
    """Run the site with the production cache settings pointed at `redis_url`. Two site_cache blocks
    with the same key prefix but different addresses of one Redis act as two processes of one site."""
    with override_settings(CACHES=production_caches(redis_url, key_prefix, **options)):
        from django.core.cache import cache

        if clear:
            cache.clear()  # this server's fallback is shared by the whole test process
        yield cache


class _Server:
    """A TCP listener on a free local port, serving each connection in a thread."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.bytes_received = 0
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def url(self, db: int | None = None) -> str:
        return f"redis://127.0.0.1:{self.port}/{dev_redis_db() if db is None else db}"

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._open.append(conn)
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    def handle(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def _count(self, data: bytes) -> None:
        with self._lock:
            self.bytes_received += len(data)

    def drop_connections(self) -> None:
        with self._lock:
            open_, self._open = self._open, []
        for conn in open_:
            with suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=2)
        self.listener.close()
        self.drop_connections()


class SilentServer(_Server):
    """Accepts connections and reads every command, but never answers: a hung or black-holed Redis."""

    def handle(self, conn: socket.socket) -> None:
        while True:
            try:
                data = conn.recv(65536)
            except OSError:
                return
            if not data:
                return
            self._count(data)


class CuttableRedis(_Server):
    """A proxy to the development Redis whose cable can be cut (every connection dropped, new ones
    refused) and plugged back in; Redis keeps its data meanwhile, as in a network outage."""

    def __init__(self) -> None:
        self.up = True
        super().__init__()

    def handle(self, conn: socket.socket) -> None:
        if not self.up:
            conn.close()
            return
        try:
            upstream = socket.create_connection(DEV_REDIS, timeout=5)
        except OSError:
            conn.close()
            return
        with self._lock:
            self._open.append(upstream)

        def pump(source: socket.socket, target: socket.socket) -> None:
            while True:
                try:
                    data = source.recv(65536)
                    if not data:
                        break
                    if source is conn:
                        self._count(data)
                    target.sendall(data)
                except OSError:
                    break
            for end in (source, target):
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

        threading.Thread(target=pump, args=(upstream, conn), daemon=True).start()
        pump(conn, upstream)

    def cut(self) -> None:
        self.up = False
        self.drop_connections()

    def plug_in(self) -> None:
        self.up = True
