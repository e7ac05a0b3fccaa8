"""Settings fail closed outside development; SQLite runs in WAL mode with durable writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]
STRONG_KEY = "k" * 20 + "-production-test-key-0123456789-abcdefghijklmnop"


def run(code_or_args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "KOORDINATOR_ENV",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "DATABASE_URL",
        }
    }
    clean.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_without_secret_key_refuses_to_start(tmp_path: Path) -> None:
    result = run(["manage.py", "check"], DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start(tmp_path: Path) -> None:
    result = run(["manage.py", "check"], SECRET_KEY=STRONG_KEY, DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="koordinator.example",
        DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_unknown_mode_is_refused(tmp_path: Path) -> None:
    result = run(["manage.py", "check"], KOORDINATOR_ENV="staging", DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "KOORDINATOR_ENV" in result.stderr


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite-only setting")
def test_sqlite_runs_in_wal_mode_with_full_sync(tmp_path: Path) -> None:
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0],"
        "      c.execute('PRAGMA synchronous').fetchone()[0])"
    )
    result = run(
        ["-c", code],
        KOORDINATOR_ENV="development",
        DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="koordinator.settings",
    )
    assert result.stdout.split() == ["wal", "2"], result.stderr  # 2 = FULL


def test_passwords_are_hashed_with_argon2() -> None:
    from koordinator import settings

    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


_PREPARED = (
    "import django; django.setup();"
    "from django.db import connection;"
    "c = connection.cursor();"
    "[c.execute('SELECT %s + 1', [n]) for n in range(3)];"
    "c.execute('SELECT count(*) FROM pg_prepared_statements');"
    "print(c.fetchone()[0])"
)


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL setting"
)
@pytest.mark.parametrize(("flag", "prepared"), [("", False), ("1", True)])
def test_prepared_statements_only_when_asked(
    db: None, tmp_path: Path, flag: str, prepared: bool
) -> None:
    from django.db import connection

    # The test database: the one DATABASE_URL names may not exist (Django's test runner only
    # needs the server).
    url = urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + connection.settings_dict["NAME"])
    result = run(
        ["-c", _PREPARED],
        KOORDINATOR_ENV="development",
        DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="koordinator.settings",
        DATABASE_URL=urlunsplit(url),
        DATABASE_PREPARED_STATEMENTS=flag,
    )
    assert result.returncode == 0, result.stderr
    assert (int(result.stdout) > 0) is prepared
