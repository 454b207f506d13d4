"""The composition root keeps SMTP connections open per process (unless told not to) and builds the shared
send rates only where there is a Redis and a limit."""

from pathlib import Path

from mailer.sender import FileSender, SmtpSender
from mailer.smtp_pool import PooledSmtpSender
from worker.composition import build_container
from worker.config import Settings


def _container(tmp_path: Path, **settings):  # type: ignore[no-untyped-def]
    return build_container(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'd.db'}", **settings))


def test_an_smtp_relay_gets_a_pool_of_connections(tmp_path: Path) -> None:
    container = _container(tmp_path, smtp_url="smtp://127.0.0.1:2525", smtp_connections=3)
    assert isinstance(container.sender, PooledSmtpSender) and container.sender.max_connections == 3
    assert isinstance(container.sender.smtp, SmtpSender)
    container.close()


def test_no_pool_when_switched_off_or_writing_files(tmp_path: Path) -> None:
    assert isinstance(_container(tmp_path, smtp_url="smtp://127.0.0.1:2525", smtp_connections=0).sender, SmtpSender)
    assert isinstance(_container(tmp_path).sender, FileSender)


def test_send_rates_need_redis_and_a_limit(tmp_path: Path) -> None:
    assert _container(tmp_path).send_rate() is None  # no Redis in this process
    settings = Settings(data_dir=tmp_path, send_rate_per_business=60, send_rate_per_domain=30)
    assert (settings.send_rate_per_business, settings.send_rate_per_domain) == (60, 30)
    assert Settings(data_dir=tmp_path).send_rate_per_domain == 120  # a default limit, not none
