"""`dunning import invoices FILE --business ID`: the same import as the API, a bar on a terminal, one summary."""

import argparse
import io
from datetime import UTC, datetime

from sqlalchemy import select

from worker.cli import main
from worker.cli_import import cmd_import_invoices, progress_bar
from worker.composition import build_container
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import Invoice
from worker.usecases.businesses import create_business

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)
CSV = ("invoice number,invoice date,due date,amount,debtor name,debtor e-mail\n"
       "F-1,2026-12-01,2026-12-31,100.00,Klant,ap@klant.example\n"
       "F-2,2026-12-02,2027-01-01,\"1.210,00\",Klant,ap@klant.example\n"
       "F-3,2026-12-03,,abc,Klant,ap@klant.example\n")


class Terminal(io.StringIO):
    """stderr as a terminal shows it: what was written, and it says it is a TTY."""

    def isatty(self) -> bool:
        return True


def _setup(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("DUNNING_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DUNNING_DATABASE_URL", url)
    settings = Settings(data_dir=tmp_path, database_url=url)
    container = build_container(settings)
    upgrade(container.engine)
    with container.sessions.begin() as session:
        business, _ = create_business(session, name="Bakkerij Jansen", senders=["b@jansen.example"],
                                      from_address="b@jansen.example", now=NOW)
        business_id = business.id
    path = tmp_path / "open.csv"
    path.write_text(CSV)
    return container, settings, business_id, path


def test_cli_imports_a_csv_prints_the_refused_lines_and_one_summary(tmp_path, monkeypatch, capsys):
    container, _settings, business_id, path = _setup(tmp_path, monkeypatch)
    assert main(["import", "invoices", str(path), "--business", str(business_id)]) == 1  # a line was refused
    captured = capsys.readouterr()
    assert captured.out.strip().endswith("2 imported, 0 duplicate, 1 refused of 3 lines")
    assert "line 4: refused: the amount 'abc' is not a number" in captured.err
    assert "[" not in captured.err  # not a terminal: no bar in a log
    with container.sessions() as session:
        assert session.scalars(select(Invoice.number).order_by(Invoice.number)).all() == ["F-1", "F-2"]
    assert main(["import", "invoices", str(path), "--business", "Bakkerij Jansen"]) == 1
    assert "0 imported, 2 duplicate, 1 refused of 3 lines" in capsys.readouterr().out
    assert main(["import", "invoices", str(path), "--business", "nobody"]) == 1
    assert main(["import", "invoices", str(tmp_path / "missing.csv"), "--business", "nobody"]) == 2
    container.engine.dispose()


def test_cli_shows_a_progress_bar_on_a_terminal(tmp_path, monkeypatch):
    container, settings, business_id, path = _setup(tmp_path, monkeypatch)
    out, err = io.StringIO(), Terminal()
    args = argparse.Namespace(file=str(path), business=str(business_id))
    assert cmd_import_invoices(args, settings, out=out, err=err) == 1
    frames = err.getvalue().split("\r")
    assert [f.split("\n")[0] for f in frames[1:]] == [progress_bar(n, 3) for n in (1, 2, 3)]
    assert progress_bar(3, 3).startswith("[" + "#" * 30 + "]")
    assert "1 refused of 3 lines" in out.getvalue()
    container.engine.dispose()
