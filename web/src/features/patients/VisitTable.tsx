/** A patient's appointments (SCH-18) as a table: when, doctor, cabinet, status, open / show in the schedule. */
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { Schemas } from "../../api/client";
import { useClinic } from "../../lib/clinic";
import { clinicDateTime, clinicTime } from "../../lib/time";

type Visit = Schemas["SchedulingPatientVisit"];

export function VisitTable({ caption, visits, total }: { caption: string; visits: Visit[]; total: number }) {
  const { t } = useTranslation("patients");
  const { zone } = useClinic();
  return (
    <table className="list visits">
      <caption>
        {caption} <span className="muted">({total > visits.length ? t("visits.shownOf", { shown: visits.length, total }) : total})</span>
      </caption>
      <thead>
        <tr>
          <th scope="col">{t("visits.when")}</th>
          <th scope="col">{t("visits.doctor")}</th>
          <th scope="col">{t("visits.cabinet")}</th>
          <th scope="col">{t("visits.status")}</th>
          <th scope="col">{t("visits.actions")}</th>
        </tr>
      </thead>
      <tbody>
        {visits.length === 0 && (
          <tr>
            <td colSpan={5} className="muted">
              {t("visits.none")}
            </td>
          </tr>
        )}
        {visits.map((visit) => (
          <tr key={visit.id} className={visit.deleted ? "deleted" : undefined}>
            <td>
              <Link to={`/appointments/${visit.id}`}>
                {clinicDateTime(visit.start, zone)}–{clinicTime(visit.end, zone)}
              </Link>
              {visit.deleted && <span className="badge deleted">{t("visits.inTrash")}</span>}
            </td>
            <td>{visit.doctor_name ?? "—"}</td>
            <td>{visit.cabinet_name ?? ""}</td>
            <td>
              {visit.status && (
                <span className="status-dot" style={{ borderColor: visit.status.colour }}>
                  {visit.status.name}
                </span>
              )}
            </td>
            <td>
              <Link to={`/schedule?date=${visit.date}&doctor=${visit.doctor_id}`}>{t("visits.inSchedule")}</Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
