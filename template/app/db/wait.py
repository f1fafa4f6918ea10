"""Wait a bounded number of times for the database server in DATABASE_URL to accept connections.

    python -m app.db.wait

Run by the container entrypoint before migrations or the server start. Standard library only, so it
runs before anything of the service is imported. DB_WAIT_ATTEMPTS (default 30, 0 skips the wait)
and DB_WAIT_DELAY (seconds between attempts, default 2) bound the wait; SQLite needs none.
"""

import os
import socket
import sys
import time
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

POSTGRES_PORT = 5432
CONNECT_TIMEOUT = 3.0
DEFAULT_ATTEMPTS = 30
DEFAULT_DELAY = 2.0

Address = tuple[str, int]
Probe = Callable[[Address], bool]


class WaitConfigError(ValueError):
    """A wait setting or the database URL cannot be read; the message names it."""


def server_address(database_url: str) -> Address | None:
    """The (host, port) of the database server, or None for SQLite and local-socket URLs."""
    parts = urlsplit(database_url)
    if parts.scheme.startswith("sqlite") or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError as exc:
        raise WaitConfigError(f"DATABASE_URL has an invalid port ({exc}); expected host:5432") from exc
    return parts.hostname, port or POSTGRES_PORT


def accepts_connections(address: Address) -> bool:
    """True when a TCP connection to `address` opens within CONNECT_TIMEOUT seconds."""
    try:
        with socket.create_connection(address, timeout=CONNECT_TIMEOUT):
            return True
    except OSError:
        return False


def wait_for(address: Address, *, attempts: int, delay: float, probe: Probe = accepts_connections) -> int | None:
    """The attempt on which `address` accepted a connection, or None after `attempts` failures."""
    for attempt in range(1, attempts + 1):
        if probe(address):
            return attempt
        if attempt < attempts:
            time.sleep(delay)
    return None


def _setting(environ: Mapping[str, str], name: str, default: float, kind: type[int] | type[float]) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise WaitConfigError(f"{name} must be a non-negative {kind.__name__} (got {raw!r})") from None
    if value < 0:
        raise WaitConfigError(f"{name} must be a non-negative {kind.__name__} (got {raw!r})")
    return value


def main(environ: Mapping[str, str] = os.environ, probe: Probe = accepts_connections) -> int:
    """Wait for the database; 0 once it accepts connections (or needs no wait), 1 on giving up, 2 on bad settings."""
    try:
        address = server_address(environ.get("DATABASE_URL", ""))
        attempts = int(_setting(environ, "DB_WAIT_ATTEMPTS", DEFAULT_ATTEMPTS, int))
        delay = _setting(environ, "DB_WAIT_DELAY", DEFAULT_DELAY, float)
    except WaitConfigError as error:
        print(f"wait-for-database: {error}", file=sys.stderr)
        return 2
    if address is None or attempts == 0:
        return 0
    host, port = address
    print(
        f"wait-for-database: waiting for {host}:{port} (at most {attempts} attempts, {delay:g} s apart)",
        file=sys.stderr,
    )
    attempt = wait_for(address, attempts=attempts, delay=delay, probe=probe)
    if attempt is None:
        print(
            f"wait-for-database: gave up: {host}:{port} did not accept a connection in {attempts} attempts;"
            " check DATABASE_URL and that the server runs (DB_WAIT_ATTEMPTS and DB_WAIT_DELAY bound the wait)",
            file=sys.stderr,
        )
        return 1
    print(f"wait-for-database: {host}:{port} accepts connections (attempt {attempt} of {attempts})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
