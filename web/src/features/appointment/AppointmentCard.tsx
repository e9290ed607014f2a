import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useUser } from "../../auth/AuthProvider";
import { useNotice } from "../../components/Notice";
import { useClinic } from "../../lib/clinic";
import { problemText } from "../../lib/problem";
import { clinicDateTime } from "../../lib/time";
import "./appointment.css";
import { DeleteForm } from "./DeleteForm";
import { Details } from "./Details";
import { JournalSection } from "./JournalSection";
import { LinkCardForm } from "./LinkCardForm";
import { printSlip } from "./print";
import { StatusSection } from "./StatusSection";
import { ToWaitlistForm } from "./ToWaitlistForm";
import { type Appointment, useAppointment } from "./data";

type Open = "delete" | "link" | "waitlist" | null;

/** "Иванова Мария Петровна, 07.12.2026 09:00": how the card is titled. */
export function appointmentTitle(appointment: Appointment, zone: string): string {
  return `${appointment.patient_name}, ${clinicDateTime(appointment.start, zone)}`;
}

/**
 * The appointment's card (the panel and the full page show the same): its details, the actions
 * a receptionist takes on it, its status with the patient's movement, and the change journal.
 * `onGone` is called when the appointment left the schedule (deleted, to the waiting list).
 */
export function AppointmentCard({ appointmentId, onGone }: { appointmentId: string; onGone?(): void }) {
  const { t } = useTranslation("appointment");
  const { zone } = useClinic();
  const user = useUser();
  const notice = useNotice();
  const query = useAppointment(appointmentId);
  const [open, setOpen] = useState<Open>(null);
  const [printing, setPrinting] = useState(false);

  if (query.isPending) return <p role="status">{t("loading")}</p>;
  if (query.isError) return <p role="alert">{problemText(query.error)}</p>;
  const current = query.data;
  const a = current.appointment;
  const canWrite = user.can("scheduling.write");
  const canDelete = user.can("scheduling.delete");
  const canPrint = user.can("scheduling.export");
  const done = () => {
    setOpen(null);
    onGone?.();
  };

  async function print() {
    setPrinting(true);
    try {
      await printSlip(a.id, t("slipTitle", { title: appointmentTitle(a, zone) }));
    } catch (error) {
      notice(problemText(error), "error");
    } finally {
      setPrinting(false);
    }
  }

  return (
    <div className="appointment-card">
      {a.deleted && (
        <p className="appointment-deleted" role="status">
          {t("inTrash", {
            when: a.deleted_at ? clinicDateTime(a.deleted_at, zone) : "—",
            who: a.deleted_by_username ?? "—",
          })}
          {a.deletion_reason && ` ${t("reasonIs", { reason: a.deletion_reason })}`}
          {a.deletion_comment && ` «${a.deletion_comment}»`}
        </p>
      )}
      {a.status && (
        <p className="appointment-status">
          <span className="status-dot" style={{ background: a.status.colour }} aria-hidden="true" />
          {t("currentStatus", { status: a.status.name })}
        </p>
      )}
      <Details appointment={a} />
      <div className="toolbar appointment-actions" role="group" aria-label={t("actionsColumn")}>
        {canPrint && (
          <button type="button" className="secondary" disabled={printing} onClick={() => void print()}>
            {t("print")}
          </button>
        )}
        {!a.deleted && canWrite && a.is_primary && (
          <button type="button" className="secondary" aria-expanded={open === "link"} onClick={() => setOpen(open === "link" ? null : "link")}>
            {t("linkCard")}
          </button>
        )}
        {!a.deleted && canWrite && (
          <button
            type="button"
            className="secondary"
            aria-expanded={open === "waitlist"}
            onClick={() => setOpen(open === "waitlist" ? null : "waitlist")}
          >
            {t("toWaitlist")}
          </button>
        )}
        {!a.deleted && canDelete && (
          <button type="button" className="danger" aria-expanded={open === "delete"} onClick={() => setOpen(open === "delete" ? null : "delete")}>
            {t("delete")}
          </button>
        )}
      </div>
      {open === "delete" && <DeleteForm current={current} onDone={done} onCancel={() => setOpen(null)} />}
      {open === "waitlist" && <ToWaitlistForm current={current} onDone={done} onCancel={() => setOpen(null)} />}
      {open === "link" && <LinkCardForm current={current} onDone={() => setOpen(null)} onCancel={() => setOpen(null)} />}
      <StatusSection current={current} canWrite={canWrite} />
      <JournalSection appointmentId={a.id} />
    </div>
  );
}
