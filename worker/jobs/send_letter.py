"""rq job: send one recorded outbox message."""

from worker.composition import current
from worker.usecases.send import send_outbound


def send_letter(outbound_id: int) -> str:
    container = current()
    return send_outbound(container.sessions, container.sender, outbound_id, container.clock(),
                         copies=container.sent_copies(), letters=container.letter_settings)
