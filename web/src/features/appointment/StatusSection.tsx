import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { useAppointmentStatuses } from "../../api/directories";
import { Field } from "../../components/Field";
import { useClinic } from "../../lib/clinic";
import { unwrap } from "../../lib/problem";
import { clinicDateTime } from "../../lib/time";
import { useStatusHistory, type Versioned } from "./data";
import { useCardAction } from "./useCardAction";

/** SCH-8: the status, changed by hand, and «Движение пациента» — each status with its time. */
export function StatusSection({ current, canWrite }: { current: Versioned; canWrite: boolean }) {
  const { t } = useTranslation("appointment");
  const { zone } = useClinic();
  const { appointment, etag } = current;
  const statuses = useAppointmentStatuses();
  const history = useStatusHistory(appointment.id);
  const action = useCardAction(appointment.id);
  const [statusId, setStatusId] = useState(appointment.status_id ?? "");
  useEffect(() => setStatusId(appointment.status_id ?? ""), [appointment.status_id]);
  const choices = (statuses.data ?? []).filter((status) => status.active || status.id === appointment.status_id);

  async function apply() {
    await action.run(async () => {
      unwrap(
        await api.POST("/api/scheduling/appointments/{appointment_id}/status", {
          params: { path: { appointment_id: appointment.id }, header: { "If-Match": etag } },
          body: { status_id: statusId },
        }),
      );
    }, t("statusChanged"));
  }

  return (
    <section className="appointment-section" aria-labelledby={`status-${appointment.id}`}>
      <h3 id={`status-${appointment.id}`}>{t("statusHeading")}</h3>
      {canWrite && !appointment.deleted && (
        <form
          className="toolbar"
          onSubmit={(event) => {
            event.preventDefault();
            void apply();
          }}
        >
          <Field label={t("status")} error={action.problem?.fieldErrors().status_id ?? action.problem?.message}>
            <select value={statusId} onChange={(event) => setStatusId(event.target.value)}>
              <option value="" disabled>
                {t("chooseStatus")}
              </option>
              {choices.map((status) => (
                <option key={status.id} value={status.id}>
                  {status.name}
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" disabled={action.pending || !statusId || statusId === appointment.status_id}>
            {t("apply")}
          </button>
        </form>
      )}
      <h4>{t("movement")}</h4>
      {history.isError && <p role="alert">{t("loadFailed")}</p>}
      {history.data && history.data.length === 0 && <p className="muted">{t("noMovement")}</p>}
      {history.data && history.data.length > 0 && (
        <table className="list" aria-label={t("movement")}>
          <thead>
            <tr>
              <th scope="col">{t("status")}</th>
              <th scope="col">{t("when")}</th>
              <th scope="col">{t("who")}</th>
            </tr>
          </thead>
          <tbody>
            {history.data.map((entry) => (
              <tr key={`${entry.status_id}-${entry.at}`}>
                <td>
                  <span className="status-dot" style={{ background: entry.colour ?? "transparent" }} aria-hidden="true" />
                  {entry.status_name ?? "—"}
                </td>
                <td>{clinicDateTime(entry.at, zone)}</td>
                <td>{entry.username ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
