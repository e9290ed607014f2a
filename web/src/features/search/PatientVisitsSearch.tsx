/**
 * «Поиск записи по пациенту» (SCH-18): by name words or a phone, each patient found with the
 * appointments to come and the past ones, each with a jump to its day in the schedule.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api } from "../../api/client";
import { keys } from "../../api/keys";
import { Field } from "../../components/Field";
import { ApiProblem, problemText, unwrap } from "../../lib/problem";
import { formatDate } from "../../lib/time";
import { formatPhone } from "../patients/rules";
import { VisitTable } from "../patients/VisitTable";

const MIN_QUERY = 2;

export function PatientVisitsSearch() {
  const { t } = useTranslation("search");
  const [typed, setTyped] = useState("");
  const [q, setQ] = useState("");
  const [withDeleted, setWithDeleted] = useState(false);
  const found = useQuery({
    queryKey: [...keys.appointments, "patient-search", q, withDeleted],
    enabled: q.length >= MIN_QUERY,
    queryFn: async () =>
      unwrap(
        await api.GET("/api/scheduling/calendar/patient-search", {
          params: { query: { q, include_deleted: withDeleted, limit: 10 } },
        }),
      ),
  });
  const error = found.error instanceof ApiProblem ? (found.error.fieldErrors().q ?? found.error.message) : undefined;
  return (
    <section className="panel patient-visits" aria-labelledby="patient-visits-title">
      <h2 id="patient-visits-title">{t("byPatient.title")}</h2>
      <form
        className="toolbar"
        role="search"
        aria-label={t("byPatient.title")}
        onSubmit={(event) => {
          event.preventDefault();
          setQ(typed.trim());
        }}
      >
        <Field label={t("byPatient.label")} error={error ?? (found.isError ? problemText(found.error) : undefined)}>
          <input
            type="search"
            value={typed}
            minLength={MIN_QUERY}
            placeholder={t("byPatient.placeholder")}
            onChange={(event) => setTyped(event.target.value)}
          />
        </Field>
        <label className="inline">
          <input type="checkbox" checked={withDeleted} onChange={(event) => setWithDeleted(event.target.checked)} />
          {t("byPatient.withDeleted")}
        </label>
        <button type="submit">{t("common:actions.search")}</button>
      </form>
      {found.isFetching && <p role="status">{t("common:loading")}</p>}
      {found.data && found.data.patients.length === 0 && <p role="status">{t("common:empty")}</p>}
      {found.data?.truncated && <p className="muted">{t("byPatient.truncated")}</p>}
      {found.data?.patients.map((patient) => (
        <article key={patient.patient_id ?? `${patient.patient_name}-${patient.mobile_phone}`} className="found-patient">
          <h3>
            {patient.patient_id ? <Link to={`/patients/${patient.patient_id}`}>{patient.patient_name}</Link> : patient.patient_name}
            {patient.is_primary && <span className="badge primary">{t("primary")}</span>}
            <span className="muted">
              {[
                patient.card_number && t("byPatient.card", { number: patient.card_number }),
                patient.birth_date && formatDate(patient.birth_date),
                formatPhone(patient.mobile_phone),
              ]
                .filter(Boolean)
                .join(" · ")}
            </span>
          </h3>
          <VisitTable caption={t("byPatient.upcoming")} visits={patient.upcoming} total={patient.upcoming_total} />
          <VisitTable caption={t("byPatient.past")} visits={patient.past} total={patient.past_total} />
        </article>
      ))}
    </section>
  );
}
