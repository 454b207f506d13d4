"""What one tick did: the outbox rows it recorded (to enqueue), the invoices it handed off, the letters that failed."""

from dataclasses import dataclass, field


@dataclass
class TickReport:
    recorded: list[int] = field(default_factory=list)  # outbound message ids, to be enqueued
    handed_off: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
