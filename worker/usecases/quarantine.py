"""The error that sends an inbound message to review, with a reason a finance clerk can act on."""


class Quarantined(Exception):
    """Processing stopped on purpose: the message needs a person, for `reason`."""

    def __init__(self, reason: str, business_id: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.business_id = business_id


class InvoiceUnusable(Quarantined):
    """A business's invoice mail from which no invoice could be made; `problems` per attachment file."""

    def __init__(self, reason: str, business_id: int, problems: dict[str, list[tuple[str, str]]]) -> None:
        super().__init__(reason, business_id)
        self.problems = problems  # filename -> [(code, message)]
