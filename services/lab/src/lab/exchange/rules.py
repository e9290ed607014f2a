"""What cancelling an order means for its delivery to the lab (LAB-4, LAB-8), as plain functions.

The lab must hear about a cancellation only if it has the order, and only after it has it: the
cancel is delivered once the send was acknowledged, never instead of it or before it.
"""

from __future__ import annotations

from enum import StrEnum


class CancelAction(StrEnum):
    NOTHING = "nothing"  # never queued, or already finished
    STOP = "stop"  # the lab has not acknowledged the order: just stop sending it
    TELL_LAB = "tell_lab"  # the lab has the order: queue the cancellation for it


def cancel_action(delivery_state: str | None, external_id: str | None) -> CancelAction:
    """What to do with an order's delivery when the order is cancelled.

    `pending` and `failed` sends were never acknowledged; a send that is in flight at this
    moment queues the cancellation itself when the lab's answer comes (`state_after_ack`).
    """
    if delivery_state in ("pending", "failed"):
        return CancelAction.STOP
    if delivery_state == "sent" and external_id:
        return CancelAction.TELL_LAB
    return CancelAction.NOTHING


def state_after_ack(order_status: str) -> tuple[str, bool]:
    """(delivery state, whether to queue a cancellation) once the lab acknowledged the order.

    An order cancelled while its send was in flight reached the lab anyway: tell the lab.
    """
    if order_status == "cancelled":
        return "cancelled", True
    return "sent", False


def cancel_can_be_requeued(cancel_state: str | None) -> bool:
    """Only a cancellation given up after its last attempt can be queued again by hand."""
    return cancel_state == "failed"


# Staff read these on the order (`exchange.cancel.message`): in Russian, the clinic's language;
# `exchange.cancel.state` is the stable code for programs.
CANCEL_MESSAGES = {
    "pending": "Лаборатория ещё не подтвердила отмену заказа: ей сообщается об отмене (повторяем, пока не ответит).",
    "delivered": "Лаборатория подтвердила отмену заказа.",
    "refused": "Лаборатория отказалась отменить заказ ({reason}): она может продолжить исследование проб; "
    "результаты, которые она пришлёт по этому заказу, не будут приняты.",
    "failed": "Лаборатории не удалось сообщить об отмене заказа (попыток: {attempts}): "
    "отмените заказ ещё раз, чтобы повторить, или позвоните в лабораторию.",
}
NO_REASON = "причина не указана"


def cancel_message(state: str, *, refusal_reason: str | None = None, attempts: int = 0) -> str:
    """The cancellation's delivery in one sentence for the person looking at the order."""
    return CANCEL_MESSAGES[state].format(reason=refusal_reason or NO_REASON, attempts=attempts)
