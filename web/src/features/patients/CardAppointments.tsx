/**
 * The card's appointments, upcoming and past (SCH-18): the schedule's search by patient, asked by
 * the card's name and narrowed to this card (namesakes are other patients).
 */
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api } from "../../api/client";
import { keys } from "../../api/keys";
import { useUser } from "../../auth/AuthProvider";
import { problemText, unwrap } from "../../lib/problem";
import { VisitTable } from "./VisitTable";
import type { Card } from "./rules";

const VISITS_EACH_WAY = 20; // the API's most

export function CardAppointments({ card }: { card: Card }) {
  const { t } = useTranslation("patients");
  const user = useUser();
  const q = `${card.last_name} ${card.first_name}`.trim();
  const found = useQuery({
    queryKey: [...keys.appointments, "patient-search", card.id, q],
    enabled: user.can("scheduling.read") && q.length >= 2,
    queryFn: async () =>
      unwrap(
        await api.GET("/api/scheduling/calendar/patient-search", {
          params: { query: { q, limit: VISITS_EACH_WAY, patients_limit: 50 } },
        }),
      ),
  });
  if (!user.can("scheduling.read")) return null;
  const mine = found.data?.patients.find((patient) => patient.patient_id === card.id);
  return (
    <section className="panel" aria-labelledby="card-visits">
      <h2 id="card-visits">{t("visits.title")}</h2>
      {found.isPending && <p role="status">{t("common:loading")}</p>}
      {found.isError && <p role="alert" className="form-error">{problemText(found.error)}</p>}
      {found.isSuccess && (
        <>
          <VisitTable caption={t("visits.upcoming")} visits={mine?.upcoming ?? []} total={mine?.upcoming_total ?? 0} />
          <VisitTable caption={t("visits.past")} visits={mine?.past ?? []} total={mine?.past_total ?? 0} />
          <p>
            <Link to={`/search?patient_id=${card.id}`}>{t("visits.allInSearch")}</Link>
          </p>
        </>
      )}
    </section>
  );
}
