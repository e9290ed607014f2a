/** «Дисконтные карты» of the patient (PAT-7): the cards issued, and issuing one (number assigned when empty). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { keys } from "../../api/keys";
import { useUser } from "../../auth/AuthProvider";
import { Field } from "../../components/Field";
import { useNotice } from "../../components/Notice";
import { useClinic } from "../../lib/clinic";
import { ApiProblem, problemText, unwrap } from "../../lib/problem";
import { clinicDateTime } from "../../lib/time";
import type { Card } from "./rules";

export function DiscountCards({ card }: { card: Card }) {
  const { t } = useTranslation("patients");
  const { zone } = useClinic();
  const user = useUser();
  const notice = useNotice();
  const queries = useQueryClient();
  const [number, setNumber] = useState("");
  const [percent, setPercent] = useState("5");
  const key = [...keys.card(card.id), "discount-cards"];
  const list = useQuery({
    queryKey: key,
    queryFn: async () =>
      unwrap(await api.GET("/api/patients/cards/{card_id}/discount-cards", { params: { path: { card_id: card.id } } })),
  });
  const issue = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/api/patients/cards/{card_id}/discount-cards", {
          params: { path: { card_id: card.id } },
          body: { number: number.trim() || null, percent: percent.trim() },
        }),
      ),
    onSuccess: (issued) => {
      setNumber("");
      notice(t("discount.issued", { number: issued.number }));
      void queries.invalidateQueries({ queryKey: key });
    },
  });
  const errors = issue.error instanceof ApiProblem ? issue.error.fieldErrors() : {};
  return (
    <section className="panel" aria-labelledby="card-discounts">
      <h2 id="card-discounts">{t("discount.title")}</h2>
      {list.isError && <p role="alert" className="form-error">{problemText(list.error)}</p>}
      {list.data && list.data.items.length === 0 && <p className="muted">{t("discount.none")}</p>}
      {list.data && list.data.items.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">{t("discount.number")}</th>
              <th scope="col">{t("discount.percent")}</th>
              <th scope="col">{t("discount.issuedAt")}</th>
              <th scope="col">{t("discount.issuedBy")}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((item) => (
              <tr key={item.id}>
                <td>{item.number}</td>
                <td>{item.percent}%</td>
                <td>{clinicDateTime(item.issued_at, zone)}</td>
                <td>{item.issued_by_username ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {user.can("patients.discount_cards") && !card.deleted && (
        <form
          className="toolbar"
          aria-label={t("discount.issue")}
          onSubmit={(event) => {
            event.preventDefault();
            issue.mutate();
          }}
        >
          <Field label={t("discount.numberOptional")} error={errors.number}>
            <input value={number} onChange={(event) => setNumber(event.target.value)} />
          </Field>
          <Field label={t("discount.percent")} error={errors.percent}>
            <input type="number" min="0" max="100" step="0.5" value={percent} onChange={(event) => setPercent(event.target.value)} />
          </Field>
          <button type="submit" disabled={issue.isPending}>
            {t("discount.issue")}
          </button>
          {issue.isError && !Object.keys(errors).length && (
            <p role="alert" className="form-error">
              {problemText(issue.error)}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
