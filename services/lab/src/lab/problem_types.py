"""The lab service's own problem types (`/problems/<code>`): the errors a front end tells apart."""

from __future__ import annotations

from clinic_shared.problems import ProblemType, register_problem_types

register_problem_types(
    ProblemType(
        "lab-access-denied",
        403,
        "No access to the laboratory",
        "Нет доступа к лаборатории",
        "The user's lab doctor setting says 'no access to the laboratory' (LAB-7).",
    ),
    ProblemType(
        "laboratory-switched-off",
        409,
        "The laboratory is switched off",
        "Лаборатория выключена",
        "New orders are refused while `use_new_laboratory` is off in the lab settings.",
    ),
    ProblemType(
        "illegal-transition",
        409,
        "Illegal status change",
        "Недопустимая смена статуса",
        "The order's lifecycle does not allow this step; `from_status` and `to_status` name it.",
    ),
    ProblemType(
        "order-not-sendable",
        409,
        "The order cannot be sent",
        "Заказ нельзя отправить",
        "Only a created order can be queued for the lab; `order_status` is the order's status.",
    ),
    ProblemType(
        "barcode-locked",
        409,
        "Barcodes cannot be changed",
        "Штрихкоды менять нельзя",
        "A sample's barcode changes only while the order is created (not yet sent).",
    ),
    ProblemType(
        "barcode-taken",
        409,
        "Barcode in use",
        "Штрихкод уже используется",
        "Another sample has this barcode; `conflicts` names it when known.",
    ),
    ProblemType(
        "results-for-cancelled-order",
        409,
        "The order is cancelled",
        "Заказ отменён",
        "A cancelled order takes no results and no corrections.",
    ),
    ProblemType(
        "order-completed",
        409,
        "The order is completed",
        "Заказ выполнен",
        "A completed order's results change only through a correction.",
    ),
    ProblemType(
        "lab-code-taken",
        409,
        "Laboratory code taken",
        "Код лаборатории занят",
        "Another laboratory has this code; `conflicts` names it.",
    ),
    ProblemType(
        "test-code-taken",
        409,
        "Test code taken",
        "Код теста занят",
        "Another test of the laboratory has this code; `conflicts` names it.",
    ),
    ProblemType(
        "test-already-linked",
        409,
        "Already linked",
        "Связь уже есть",
        "The test is already linked to this price-list service; `conflicts` names the link.",
    ),
)
