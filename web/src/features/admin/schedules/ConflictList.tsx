import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useClinic } from "../../../lib/clinic";
import { clinicDateTime } from "../../../lib/time";
import type { Booked } from "./data";

interface ConflictListProps {
  /** The appointments the change would leave outside working time or in a break. */
  ids: string[];
  /** The appointments the screen knows (the day's), to name them. */
  known: Booked[];
  onCancel(): void;
  /** When the rest of the change can still go ahead (a fill skips the days in conflict). */
  proceed?: { label: string; onClick(): void };
  /** The explanation under the title (default: move or delete them first). */
  explain?: string;
}

/**
 * Why a change cannot be saved yet: the appointments it would strand, each with its time and
 * patient and a link to open it. The API refuses such a change too (409): they must be moved or
 * deleted first, so the only way on from here is back.
 */
export function ConflictList({ ids, known, onCancel, proceed, explain }: ConflictListProps) {
  const { t } = useTranslation("workSchedules");
  const { zone } = useClinic();
  const byId = new Map(known.map((item) => [item.id, item]));
  return (
    <section className="conflicts" role="alert" aria-labelledby="schedule-conflicts-title">
      <h3 id="schedule-conflicts-title">{t("conflicts.title", { count: ids.length })}</h3>
      <p>{explain ?? t("conflicts.explain")}</p>
      <table className="list">
        <caption className="visually-hidden">{t("conflicts.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("conflicts.time")}</th>
            <th scope="col">{t("conflicts.patient")}</th>
            <th scope="col">{t("conflicts.number")}</th>
          </tr>
        </thead>
        <tbody>
          {ids.map((id) => {
            const item = byId.get(id);
            return (
              <tr key={id}>
                <td>{item ? `${clinicDateTime(item.start, zone)}–${clinicDateTime(item.end, zone).slice(-5)}` : "—"}</td>
                <td>
                  <Link to={`/appointments/${id}`} target="_blank">
                    {item?.patient_name ?? t("conflicts.unknown")}
                  </Link>
                </td>
                <td>{item?.number ?? ""}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="form-actions">
        <button type="button" className={proceed ? "secondary" : undefined} onClick={onCancel}>
          {t("conflicts.back")}
        </button>
        {proceed && (
          <button type="button" onClick={proceed.onClick}>
            {proceed.label}
          </button>
        )}
      </div>
    </section>
  );
}
