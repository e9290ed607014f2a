/**
 * The paper card (PAT-9): in the archive, or given out to a doctor or a department («Выдать карту»)
 * until it comes back («Вернуть в архив»). Both make a new version of the card (`If-Match`).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { doctorShortName, useDoctors } from "../../api/directories";
import { keys } from "../../api/keys";
import { useUser } from "../../auth/AuthProvider";
import { Field } from "../../components/Field";
import { useNotice } from "../../components/Notice";
import { useClinic } from "../../lib/clinic";
import { ApiProblem, problemText, unwrap } from "../../lib/problem";
import { clinicDateTime, formatDate } from "../../lib/time";
import type { Card } from "./rules";

export function PaperCard({ card, etag }: { card: Card; etag: string }) {
  const { t } = useTranslation("patients");
  const { zone } = useClinic();
  const user = useUser();
  const notice = useNotice();
  const queries = useQueryClient();
  const doctors = useDoctors();
  const [kind, setKind] = useState<"doctor" | "department">("doctor");
  const [doctorId, setDoctorId] = useState("");
  const [department, setDepartment] = useState("");
  const [dueBack, setDueBack] = useState("");
  const refresh = () => {
    void queries.invalidateQueries({ queryKey: keys.card(card.id) });
    void queries.invalidateQueries({ queryKey: keys.patients });
  };
  const giveOut = useMutation({
    mutationFn: async () => {
      const doctor = doctors.data?.find((item) => item.id === doctorId);
      return unwrap(
        await api.POST("/api/patients/cards/{card_id}/issues", {
          params: { path: { card_id: card.id }, header: { "If-Match": etag } },
          body: {
            recipient_kind: kind,
            recipient_id: kind === "doctor" ? doctorId || null : null,
            recipient_name: kind === "doctor" ? (doctor ? doctorShortName(doctor) : "") : department.trim(),
            due_back: dueBack || null,
          },
        }),
      );
    },
    onSuccess: () => notice(t("paper.givenOut")),
    onSettled: refresh,
  });
  const giveBack = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/api/patients/cards/{card_id}/return", {
          params: { path: { card_id: card.id }, header: { "If-Match": etag } },
        }),
      ),
    onSuccess: () => notice(t("paper.returned")),
    onError: (error) => notice(problemText(error), "error"),
    onSettled: refresh,
  });
  const issues = useQuery({
    queryKey: [...keys.card(card.id), "issues"],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/patients/cards/{card_id}/issues", { params: { path: { card_id: card.id }, query: { limit: 10 } } }),
      ),
  });
  const out = card.out_of_archive;
  const errors = giveOut.error instanceof ApiProblem ? giveOut.error.fieldErrors() : {};
  const canWrite = user.can("patients.write") && !card.deleted;
  return (
    <section className="panel" aria-labelledby="card-paper">
      <h2 id="card-paper">{t("paper.title")}</h2>
      {out ? (
        <p>
          {t("paper.outTo", { name: out.recipient_name, at: clinicDateTime(out.issued_at, zone), due: formatDate(out.due_back) })}{" "}
          {out.overdue && <span className="badge deleted">{t("paper.overdue")}</span>}
        </p>
      ) : (
        <p>{t("paper.inArchive")}</p>
      )}
      {canWrite && out && (
        <button type="button" className="secondary" disabled={giveBack.isPending} onClick={() => giveBack.mutate()}>
          {t("paper.return")}
        </button>
      )}
      {canWrite && !out && (
        <form
          className="toolbar"
          aria-label={t("paper.issue")}
          onSubmit={(event) => {
            event.preventDefault();
            giveOut.mutate();
          }}
        >
          <Field label={t("paper.kind")}>
            <select value={kind} onChange={(event) => setKind(event.target.value as "doctor" | "department")}>
              <option value="doctor">{t("paper.kindDoctor")}</option>
              <option value="department">{t("paper.kindDepartment")}</option>
            </select>
          </Field>
          {kind === "doctor" ? (
            <Field label={t("paper.doctor")} error={errors.recipient_name ?? errors.recipient_id}>
              <select value={doctorId} onChange={(event) => setDoctorId(event.target.value)}>
                <option value="">—</option>
                {doctors.data?.map((doctor) => (
                  <option key={doctor.id} value={doctor.id}>
                    {doctorShortName(doctor)}
                  </option>
                ))}
              </select>
            </Field>
          ) : (
            <Field label={t("paper.department")} error={errors.recipient_name}>
              <input value={department} onChange={(event) => setDepartment(event.target.value)} />
            </Field>
          )}
          <Field label={t("paper.dueBack")} error={errors.due_back}>
            <input type="date" value={dueBack} onChange={(event) => setDueBack(event.target.value)} />
          </Field>
          <button type="submit" disabled={giveOut.isPending}>
            {t("paper.issue")}
          </button>
          {giveOut.isError && !Object.keys(errors).length && (
            <p role="alert" className="form-error">
              {problemText(giveOut.error)}
            </p>
          )}
        </form>
      )}
      {issues.data && issues.data.items.length > 0 && (
        <table className="list issues">
          <caption>{t("paper.history")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("paper.to")}</th>
              <th scope="col">{t("paper.issuedAt")}</th>
              <th scope="col">{t("paper.dueBack")}</th>
              <th scope="col">{t("paper.returnedAt")}</th>
            </tr>
          </thead>
          <tbody>
            {issues.data.items.map((item) => (
              <tr key={item.id}>
                <td>{item.recipient_name}</td>
                <td>
                  {clinicDateTime(item.issued_at, zone)} <span className="muted">({item.issued_by_username ?? "—"})</span>
                </td>
                <td>{formatDate(item.due_back)}</td>
                <td>{item.returned_at ? clinicDateTime(item.returned_at, zone) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
