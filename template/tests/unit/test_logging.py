"""The logging pipeline: JSON or console lines on stdout, uvicorn's records through it, statements kept out."""

import json
import logging
import logging.config
from collections.abc import Iterator
from decimal import Decimal

import pytest
from uvicorn.config import LOGGING_CONFIG

from app.core.logging import configure_logging
from app.core.request_id import current_request_id
from tests.leaks import leaks


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Put back the handlers, levels and caller lookup the test changes."""
    names = ("", "uvicorn", "uvicorn.error", "uvicorn.access", "sqlalchemy.engine")
    saved = [(logger, logger.handlers[:], logger.level, logger.propagate) for logger in map(logging.getLogger, names)]
    source = logging._srcfile
    yield
    for logger, handlers, level, propagate in saved:
        logger.handlers, logger.level, logger.propagate = handlers, level, propagate
    logging._srcfile = source


def test_uvicorn_records_come_through_the_service_pipeline_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    logging.config.dictConfig(LOGGING_CONFIG)  # what uvicorn does before it imports the app
    configure_logging("INFO", "json")
    token = current_request_id.set("req-42")
    try:
        logging.getLogger("uvicorn.error").info("Started server process [%d]", 7)
    finally:
        current_request_id.reset(token)
    (line,) = capsys.readouterr().out.splitlines()
    record = json.loads(line)
    assert record["event"] == "Started server process [7]"
    assert (record["level"], record["logger"], record["request_id"]) == ("info", "uvicorn.error", "req-42")
    assert record["timestamp"].endswith("Z")
    assert not logging.getLogger("uvicorn.access").hasHandlers()  # the service writes its own access line


def test_a_json_line_holds_the_message_and_the_extra_fields_only(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json")
    logging.getLogger("app.test").info("moved %s", "stock", extra={"count": 3, "price": Decimal("9.99"), "big": 2**70})
    (line,) = capsys.readouterr().out.splitlines()
    record = json.loads(line)
    assert set(record) == {"event", "level", "logger", "count", "price", "big", "timestamp"}  # no record attribute
    assert (record["event"], record["count"], record["price"], record["big"]) == ("moved stock", 3, "9.99", 2**70)


def test_an_exception_is_one_json_line_with_its_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json")
    try:
        raise ValueError("bad state")
    except ValueError:
        logging.getLogger("app.test").exception("failed")
    (line,) = capsys.readouterr().out.splitlines()
    record = json.loads(line)
    assert record["event"] == "failed"
    assert "ValueError: bad state" in record["exception"]


def test_console_lines_are_for_people(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "console")
    logging.getLogger("app.test").info("request", extra={"status": 200})
    (line,) = capsys.readouterr().out.splitlines()
    assert "request" in line and "status=200" in line
    assert not line.startswith("{")


def test_only_json_lines_skip_finding_the_caller(caplog: pytest.LogCaptureFixture) -> None:
    configure_logging("INFO", "json")
    logging.getLogger("app.test").info("from json")
    configure_logging("INFO", "console")  # as the tests run: pytest's reports name the line that logged
    logging.getLogger("app.test").info("from console")
    assert [(r.message, r.filename) for r in caplog.records] == [
        ("from json", "(unknown file)"),
        ("from console", "test_logging.py"),
    ]


def test_the_level_filters_and_statements_are_never_logged() -> None:
    configure_logging("WARNING", "json")
    assert not logging.getLogger("app").isEnabledFor(logging.INFO)
    configure_logging("DEBUG", "json")
    assert logging.getLogger("app").isEnabledFor(logging.DEBUG)
    assert not logging.getLogger("sqlalchemy.engine.Engine").isEnabledFor(logging.INFO)  # SQL and its parameters


@pytest.mark.parametrize(
    "line",
    [
        '{"event": "GET /x Authorization: Basic dXNlcjpwYXNz"}',
        '{"event": "token eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2ln"}',
        '{"event": "connecting to postgresql://app:s3cret@db:5432/app"}',
        '{"event": "bearer abc.def"}',
    ],
)
def test_the_leak_search_finds_each_kind_of_secret(line: str) -> None:
    assert leaks([line]) == [line]


def test_the_leak_search_passes_an_ordinary_line() -> None:
    line = '{"event": "request", "path": "/api/v1/x/1", "request_id": "0f3a", "url": "postgresql://db:5432/app"}'
    assert leaks([line]) == []
