"""Regenerate the sample e-mails in this folder (needs the dev extras: reportlab)."""

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.factories.mail import invoice_mail  # noqa: E402

HERE = Path(__file__).parent

if __name__ == "__main__":
    (HERE / "invoice-nl.eml").write_bytes(invoice_mail(
        seller_name="Bakkerij De Gouden Korst", seller_email="facturen@goudenkorst.example",
        to="inkoop@hotel-zeezicht.example", bcc="invoices+in-demo-secret@dunning.localhost", number="GK-2026-0412",
        issue=date(2026, 12, 16), due=date(2027, 1, 15), amount="1452.00", buyer_name="Hotel Zeezicht B.V.",
        general_email="info@hotel-zeezicht.example"))
    (HERE / "invoice-en.eml").write_bytes(invoice_mail(
        seller_name="Bakkerij De Gouden Korst", seller_email="facturen@goudenkorst.example",
        to="accounts@seaview-hotel.example", bcc="invoices+in-demo-secret@dunning.localhost", number="GK-2026-0413",
        issue=date(2026, 12, 16), due=date(2027, 1, 15), amount="380.50", buyer_name="Seaview Hotel Ltd",
        language="en"))
    print("wrote", ", ".join(p.name for p in sorted(HERE.glob("*.eml"))))
