"""The command line: defaults, the URL it prints, the warning for a public address."""

import subprocess
import sys

import pytest

from server import cli


def test_defaults():
    args = cli.parse_args([])
    assert (args.host, args.port, args.workers, args.log_level) == ("127.0.0.1", 8000, 1, "info")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("10.1.2.3", False),
    ],
)
def test_loopback_detection(host, loopback):
    assert cli.is_loopback(host) is loopback


def test_help_lists_the_options():
    out = subprocess.run(
        [sys.executable, "-m", "server", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for option in (
        "--host",
        "--port",
        "--workers",
        "--log-level",
        "--allow-origin",
        "--allow-host",
    ):
        assert option in out


def test_bad_workers_is_refused(capsys):
    assert cli.main(["--workers", "0"]) == 2
    assert "--workers" in capsys.readouterr().err


def test_a_redis_option_that_is_not_a_redis_url_is_refused(capsys):
    assert cli.main(["--redis", "localhost:6379"]) == 2
    assert "is not a Redis URL" in capsys.readouterr().err
