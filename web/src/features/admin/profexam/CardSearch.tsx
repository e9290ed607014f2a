import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas } from "../../../api/client";
import { keys } from "../../../api/keys";
import { Field } from "../../../components/Field";
import { formatDate } from "../../../lib/time";
import { unwrap } from "../../../lib/problem";

export type CardSummary = Schemas["PatientsCardSummary"];

/** «Поиск по архиву карт»: type a name, phone or card number, choose the card. Used by Профосмотр and Лаборатория. */
export function CardSearch({ onChoose, chosenId }: { onChoose(card: CardSummary): void; chosenId?: string }) {
  const { t } = useTranslation("profexam");
  const [q, setQ] = useState("");
  const term = q.trim();
  const found = useQuery({
    queryKey: [...keys.patients, { q: term, limit: 10, picker: true }],
    enabled: term.length >= 2,
    queryFn: async () => unwrap(await api.GET("/api/patients/cards", { params: { query: { q: term, limit: 10 } } })),
  });
  return (
    <div className="pe-card-search">
      <Field label={t("cards.search")}>
        <input type="search" value={q} onChange={(event) => setQ(event.target.value)} autoComplete="off" />
      </Field>
      {found.data && (
        <table className="list">
          <caption className="visually-hidden">{t("cards.found")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("cards.number")}</th>
              <th scope="col">{t("cards.name")}</th>
              <th scope="col">{t("cards.birthDate")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("cards.choose")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {found.data.items.map((card) => (
              <tr key={card.id} aria-selected={card.id === chosenId}>
                <td>{card.card_number}</td>
                <td>{[card.last_name, card.first_name, card.middle_name].filter(Boolean).join(" ")}</td>
                <td>{card.birth_date ? formatDate(card.birth_date) : ""}</td>
                <td>
                  <button type="button" className="secondary" onClick={() => onChoose(card)}>
                    {card.id === chosenId ? t("cards.chosen") : t("cards.choose")}
                  </button>
                </td>
              </tr>
            ))}
            {found.data.items.length === 0 && (
              <tr>
                <td colSpan={4} className="muted">
                  {t("cards.none")}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    </div>
  );
}
