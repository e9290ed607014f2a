import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { keys } from "../../api/keys";
import { useUser } from "../../auth/AuthProvider";
import { Field } from "../../components/Field";
import { unwrap } from "../../lib/problem";
import { formatDate } from "../../lib/time";
import type { Versioned } from "./data";
import { useCardAction } from "./useCardAction";

/** SCH-15: a primary patient's appointment gets a card: an existing one found here, or a new one. */
export function LinkCardForm({ current, onDone, onCancel }: { current: Versioned; onDone(): void; onCancel(): void }) {
  const { t } = useTranslation("appointment");
  const user = useUser();
  const a = current.appointment;
  const action = useCardAction(a.id);
  const [typed, setTyped] = useState([a.last_name, a.first_name, a.middle_name].filter(Boolean).join(" "));
  const [query, setQuery] = useState(typed);
  const canSearch = user.can("patients.read");
  const found = useQuery({
    queryKey: [...keys.patients, "link", query],
    enabled: canSearch && query.trim().length >= 2,
    queryFn: async () =>
      unwrap(await api.GET("/api/patients/cards", { params: { query: { q: query.trim(), limit: 20 } } })).items,
  });

  async function link(body: { patient_id?: string; create: boolean }) {
    const ok = await action.run(async () => {
      unwrap(
        await api.POST("/api/scheduling/appointments/{appointment_id}/link-card", {
          params: { path: { appointment_id: a.id }, header: { "If-Match": current.etag } },
          body,
        }),
      );
    }, t("cardLinkedDone"));
    if (ok) onDone();
  }

  return (
    <section className="appointment-action-form" aria-labelledby={`link-${a.id}`}>
      <h3 id={`link-${a.id}`}>{t("linkHeading")}</h3>
      {canSearch && (
        <form
          className="toolbar"
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            setQuery(typed);
          }}
        >
          <Field label={t("cardSearch")}>
            <input value={typed} onChange={(event) => setTyped(event.target.value)} />
          </Field>
          <button type="submit" className="secondary">
            {t("find")}
          </button>
        </form>
      )}
      {found.data && found.data.length === 0 && <p className="muted">{t("noCards")}</p>}
      {found.data && found.data.length > 0 && (
        <table className="list" aria-label={t("cardsFound")}>
          <thead>
            <tr>
              <th scope="col">{t("cardNumberColumn")}</th>
              <th scope="col">{t("patient")}</th>
              <th scope="col">{t("birthDate")}</th>
              <th scope="col">{t("phone")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("actionsColumn")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {found.data.map((card) => {
              const name = [card.last_name, card.first_name, card.middle_name].filter(Boolean).join(" ");
              return (
                <tr key={card.id}>
                  <td>{card.card_number}</td>
                  <td>{name}</td>
                  <td>{card.birth_date ? formatDate(card.birth_date) : "—"}</td>
                  <td>{card.mobile_phone ?? "—"}</td>
                  <td>
                    <button
                      type="button"
                      disabled={action.pending}
                      aria-label={t("linkThis", { name, number: card.card_number })}
                      onClick={() => void link({ patient_id: card.id, create: false })}
                    >
                      {t("link")}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {action.problem && (
        <p className="form-error" role="alert">
          {action.problem.message}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="secondary" onClick={onCancel}>
          {t("cancel")}
        </button>
        <button type="button" disabled={action.pending} onClick={() => void link({ create: true })}>
          {t("createCard")}
        </button>
      </div>
    </section>
  );
}
