"""Process-wide logging: every record, the service's, uvicorn's and the libraries', through one structlog pipeline.

JSON lines on stdout in production, readable console lines in development (`LOG_FORMAT`). Each
record names the request it was written for (`request_id`).
"""

import logging
import sys
from typing import Literal

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from app.core.request_id import current_request_id

Renderer = Literal["json", "console"]
# uvicorn configures these itself before the app is imported; the service takes them back.
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error")
UVICORN_ACCESS = "uvicorn.access"


def add_request_id(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    """Name the request the record was written for, if any."""
    request_id = current_request_id.get()
    if request_id:
        event.setdefault("request_id", request_id)
    return event


def drop_copies(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    """Drop the copies of the event: uvicorn's in terminal colours, and the one another handler set on the record."""
    event.pop("color_message", None)
    event.pop("message", None)
    return event


PRE_CHAIN: list[Processor] = [
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.ExtraAdder(),  # the fields given as `extra=`, such as the access line's
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    add_request_id,
    drop_copies,
]


class ServiceHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The service's stdout handler, told apart from handlers others (pytest) attach to the root."""


def formatter(renderer: Renderer) -> structlog.stdlib.ProcessorFormatter:
    """A formatter turning a stdlib record into one JSON object or one console line."""
    if renderer == "json":
        rendering: list[Processor] = [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
    else:
        rendering = [structlog.dev.ConsoleRenderer(colors=sys.stdout.isatty())]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=PRE_CHAIN,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *rendering],
    )


def configure_logging(level: str, renderer: Renderer) -> None:
    """Send every record at `level` or above to stdout, rendered by `renderer`."""
    handler = ServiceHandler(sys.stdout)
    handler.setFormatter(formatter(renderer))
    root = logging.getLogger()
    root.handlers = [kept for kept in root.handlers if not isinstance(kept, ServiceHandler)] + [handler]
    root.setLevel(level)
    for name in UVICORN_LOGGERS:  # uvicorn's dictConfig must not win: its records go through the root too
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    # At INFO SQLAlchemy would log every statement with its parameters, password hashes among them.
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    # The service writes its own access line (app.core.access): with no handler to reach, uvicorn skips its own.
    access = logging.getLogger(UVICORN_ACCESS)
    access.handlers.clear()
    access.propagate = False
