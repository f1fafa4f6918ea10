"""The entrypoint's bounded wait for the database server."""

import socket

import pytest

from app.db.wait import Address, accepts_connections, main, server_address, wait_for

POSTGRES_URL = "postgresql+asyncpg://user:secret@db.internal:6543/orders"


@pytest.mark.parametrize(
    ("url", "address"),
    [
        (POSTGRES_URL, ("db.internal", 6543)),
        ("postgresql+asyncpg://user@db/orders", ("db", 5432)),
        ("sqlite+aiosqlite:///./service.db", None),
        ("postgresql+asyncpg:///orders?host=/run/postgresql", None),
        ("", None),
    ],
)
def test_server_address_of_database_url(url: str, address: Address | None) -> None:
    assert server_address(url) == address


def test_wait_for_returns_the_successful_attempt() -> None:
    answers = iter([False, False, True])
    assert wait_for(("db", 5432), attempts=5, delay=0, probe=lambda _: next(answers)) == 3


def test_wait_for_gives_up_after_the_attempts() -> None:
    calls: list[Address] = []

    def refuse(address: Address) -> bool:
        calls.append(address)
        return False

    assert wait_for(("db", 5432), attempts=4, delay=0, probe=refuse) is None
    assert len(calls) == 4


def test_main_skips_sqlite_without_probing() -> None:
    def fail(_: Address) -> bool:
        raise AssertionError("SQLite needs no wait")

    assert main({"DATABASE_URL": "sqlite+aiosqlite:///./service.db"}, probe=fail) == 0


def test_main_gives_up_with_a_message_naming_the_server(capsys: pytest.CaptureFixture[str]) -> None:
    environ = {"DATABASE_URL": POSTGRES_URL, "DB_WAIT_ATTEMPTS": "2", "DB_WAIT_DELAY": "0"}
    assert main(environ, probe=lambda _: False) == 1
    error = capsys.readouterr().err
    assert "gave up: db.internal:6543 did not accept a connection in 2 attempts" in error
    assert "secret" not in error


@pytest.mark.parametrize(("name", "value"), [("DB_WAIT_ATTEMPTS", "many"), ("DB_WAIT_DELAY", "-1")])
def test_main_rejects_a_bad_setting(capsys: pytest.CaptureFixture[str], name: str, value: str) -> None:
    assert main({"DATABASE_URL": POSTGRES_URL, name: value}, probe=lambda _: True) == 2
    assert f"{name} must be a non-negative" in capsys.readouterr().err


def test_accepts_connections_from_a_listening_socket_only() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        address: Address = server.getsockname()[:2]
        assert accepts_connections(address)
    assert not accepts_connections(address)
