"""The error that sends an inbound message to review, with a reason a finance clerk can act on."""


class Quarantined(Exception):
    """Processing stopped on purpose: the message needs a person, for `reason`."""

    def __init__(self, reason: str, business_id: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.business_id = business_id
