/** «Журнал изменений» of the card (PAT-8): who, when, which fields from → to; newest shown first. */
import { useQuery } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { keys } from "../../api/keys";
import { useClinic } from "../../lib/clinic";
import { problemText, unwrap } from "../../lib/problem";
import { clinicDateTime, formatDate } from "../../lib/time";
import { formatPhone } from "./rules";

/** A journaled value as the card shows it: a sex in words, a date as dd.mm.yyyy, a phone formatted. */
function shown(field: string, value: unknown, t: TFunction<"patients">): string {
  if (value === null || value === undefined || value === "") return "—";
  if (field === "sex" && typeof value === "string") return t(`sex.${value}`, { defaultValue: value });
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
  if (field === "mobile_phone" && typeof value === "string") return formatPhone(value);
  if (field === "other_phones" && Array.isArray(value)) return value.map((phone) => formatPhone(String(phone))).join(", ");
  if (Array.isArray(value)) return value.join(", ") || "—";
  if (typeof value === "boolean") return value ? "✓" : "✗";
  if (typeof value === "object") {
    // The paper card's whereabouts (PAT-9): to whom, and until when.
    const out = value as { recipient_name?: string; due_back?: string };
    if (out.recipient_name) return out.due_back ? `${out.recipient_name} (${formatDate(out.due_back)})` : out.recipient_name;
    return JSON.stringify(value);
  }
  return String(value);
}

export function CardHistory({ cardId }: { cardId: string }) {
  const { t } = useTranslation("patients");
  const { zone } = useClinic();
  const history = useQuery({
    queryKey: [...keys.card(cardId), "history"],
    queryFn: async () =>
      unwrap(await api.GET("/api/patients/cards/{card_id}/history", { params: { path: { card_id: cardId }, query: { limit: 200 } } })),
  });
  const entries = [...(history.data?.items ?? [])].reverse();
  return (
    <section className="panel" aria-labelledby="card-history">
      <h2 id="card-history">{t("history.title")}</h2>
      {history.isError && <p role="alert" className="form-error">{problemText(history.error)}</p>}
      <table className="list">
        <thead>
          <tr>
            <th scope="col">{t("history.when")}</th>
            <th scope="col">{t("history.who")}</th>
            <th scope="col">{t("history.action")}</th>
            <th scope="col">{t("history.changes")}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td>{clinicDateTime(entry.at, zone)}</td>
              <td>{entry.username ?? "—"}</td>
              <td>{t(`history.actions.${entry.action}`)}</td>
              <td>
                <ul className="changes">
                  {entry.changes.map((change) => (
                    <li key={change.field}>
                      <strong>{t(`field.${change.field}`, { defaultValue: change.field })}</strong>: {shown(change.field, change.old, t)} →{" "}
                      {shown(change.field, change.new, t)}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
