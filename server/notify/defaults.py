"""The rules every install has (added at start when missing; editable, and switched off
rather than deleted). Empty subject and body: the event's wording, in the language of whoever
gets it."""

from __future__ import annotations

from server.notify import events
from server.notify.tables import NotifyRule

DAY = 24 * 60

# code, name, event, statuses, recipients, channels, delay, repeat, max count
RULES: tuple[tuple[str, str, str, list[str], list[str], list[str], int, int, int], ...] = (
    ("client_received", "Клиенту: заказ принят", events.ORDER_RECEIVED, [], ["client"],
     ["email"], 0, 0, 1),
    ("client_ready", "Клиенту: готов к выдаче (напомнить через 3 дня, до 3 раз)",
     events.ORDER_STATUS, ["ready"], ["client"], ["email"], 0, 3 * DAY, 3),
    ("client_parts_arrived", "Клиенту: запчасти пришли, ремонт продолжен",
     events.PARTS_ARRIVED, [], ["client"], ["email"], 0, 0, 1),
    ("client_en_route", "Клиенту: мастер выехал", events.VISIT_EN_ROUTE, [], ["client"],
     ["email"], 0, 0, 1),
    ("master_visit_planned", "Мастеру: новый выезд", events.VISIT_PLANNED, [], ["assignee"],
     ["inapp", "push"], 0, 0, 1),
    ("master_visit_changed", "Мастеру: выезд изменён", events.VISIT_CHANGED, [], ["assignee"],
     ["inapp", "push"], 0, 0, 1),
    ("sla_warning", "Исполнителю: срок на исходе", events.SLA_WARNING, [], ["assignee"],
     ["inapp", "push"], 0, 0, 1),
    ("sla_breach", "Исполнителю и менеджеру: срок нарушен", events.SLA_BREACH, [],
     ["assignee", "manager"], ["inapp", "push", "email"], 0, 0, 1),
    ("sla_escalation", "Менеджеру: срок нарушен и не исправлен (эскалация)",
     events.SLA_ESCALATION, [], ["manager"], ["inapp", "push", "email"], 0, 0, 1),
    ("act_missing", "Исполнителю: приложить акты (каждые 3 дня, до 10 раз)",
     events.ACT_MISSING, [], ["assignee"], ["inapp", "push", "email"], 0, 3 * DAY, 10),
    ("request_returned", "Исполнителю: заявка возвращена", events.REQUEST_RETURNED, [],
     ["assignee"], ["inapp", "push", "email"], 0, 0, 1),
    ("requester_request_received", "Заявителю: заявка принята (личная ссылка)",
     events.REQUEST_RECEIVED, [], ["requester"], ["email"], 0, 0, 1),
    ("requester_request_returned", "Заявителю: заявка возвращена на доработку",
     events.REQUEST_RETURNED, [], ["requester"], ["email"], 0, 0, 1),
    ("manager_request_completed", "Менеджеру заявки: заявитель дополнил заявку",
     events.REQUEST_COMPLETED, [], ["assignee"], ["inapp", "push"], 0, 0, 1),
    ("rating_received", "Менеджеру: низкая оценка клиента", events.RATING_RECEIVED, [],
     ["manager", "role:manager"], ["inapp", "push", "email"], 0, 0, 1),
    ("client_rating_request", "Клиенту: оценить ремонт (личная ссылка)",
     events.RATING_REQUEST, [], ["client"], ["email"], 0, 0, 1),
    ("admin_backup_failed", "Администраторам: резервная копия не создана",
     events.BACKUP_FAILED, [], ["role:admin"], ["inapp", "push", "email"], 0, 0, 1),
)  # fmt: skip


async def ensure_default_rules() -> None:
    """Add the shipped rules an install does not have yet (by code)."""
    for code, name, event, statuses, recipients, channels, delay, repeat, count in RULES:
        await NotifyRule.raw(
            "INSERT INTO notify_rule (code, name, event, statuses, order_types, recipients,"
            " channels, delay_minutes, repeat_minutes, max_count, subject, body, enabled,"
            " updated_at) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, '', '', true, now())"
            " ON CONFLICT (code) DO NOTHING",
            *(code, name, event, statuses, [], recipients, channels, delay, repeat, count),
        )
