"""Credentials for a generated service started outside its tests: a token of its own test issuer, its JWKS served."""

import json
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

# Run by the service's interpreter: its test issuer's JWKS, a day-long admin token and the signing key, as JSON.
ISSUE_SCRIPT = """
import json, time
from tests.issuer import AUDIENCE, ISSUER, Issuer
issuer = Issuer()
token = issuer.token(exp=int(time.time()) + 86400)
key = getattr(issuer, "private_pem", "")  # what a local service signs with
print(json.dumps({"jwks": issuer.jwks, "token": token, "issuer": ISSUER, "audience": AUDIENCE, "key": key}))
"""


class IssuingFailed(Exception):
    """The service's test issuer could not mint a token; the message has its error output."""


def mint(project: Path) -> dict[str, Any]:
    """A long-lived admin token of the project's test issuer, with its JWKS, issuer, audience and private key."""
    minted = subprocess.run(
        [str(project / ".venv" / "bin" / "python"), "-c", ISSUE_SCRIPT], cwd=project, capture_output=True, text=True
    )
    if minted.returncode != 0:
        raise IssuingFailed(f"minting a token in {project} failed:\n{minted.stderr}")
    issued: dict[str, Any] = json.loads(minted.stdout)
    return issued


@contextmanager
def jwks_server(document: dict[str, object]) -> Iterator[str]:
    """Serve `document` on a loopback port, as an identity provider serves its JWKS; its URL."""
    body = json.dumps(document).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Keep the output quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/jwks.json"
    finally:
        server.shutdown()
        server.server_close()
