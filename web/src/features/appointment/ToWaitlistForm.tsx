import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { Field } from "../../components/Field";
import { unwrap } from "../../lib/problem";
import type { Versioned } from "./data";
import { useCardAction } from "./useCardAction";

/** SCH-7: take the appointment off the schedule into «Лист ожидания» (a wished day and hours, or none). */
export function ToWaitlistForm({ current, onDone, onCancel }: { current: Versioned; onDone(): void; onCancel(): void }) {
  const { t } = useTranslation("appointment");
  const action = useCardAction(current.appointment.id);
  const [date, setDate] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [note, setNote] = useState(current.appointment.note ?? "");
  const errors = action.problem?.fieldErrors() ?? {};

  async function submit() {
    const ok = await action.run(async () => {
      unwrap(
        await api.POST("/api/scheduling/appointments/{appointment_id}/to-waitlist", {
          params: { path: { appointment_id: current.appointment.id }, header: { "If-Match": current.etag } },
          body: {
            wished_date: date || null,
            wished_time_from: from || null,
            wished_time_to: to || null,
            note: note.trim() || null,
          },
        }),
      );
    }, t("movedToWaitlist"));
    if (ok) onDone();
  }

  const known = ["wished_date", "wished_time_from", "wished_time_to", "note"];
  return (
    <form
      className="appointment-action-form"
      aria-label={t("toWaitlistHeading")}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3>{t("toWaitlistHeading")}</h3>
      <p className="muted">{t("toWaitlistHint")}</p>
      <div className="form-grid">
        <Field label={t("wishedDate")} error={errors.wished_date}>
          <input type="date" value={date} onChange={(event) => setDate(event.target.value)} />
        </Field>
        <Field label={t("timeFrom")} error={errors.wished_time_from}>
          <input type="time" value={from} step={300} onChange={(event) => setFrom(event.target.value)} />
        </Field>
        <Field label={t("timeTo")} error={errors.wished_time_to}>
          <input type="time" value={to} step={300} onChange={(event) => setTo(event.target.value)} />
        </Field>
        <Field label={t("note")} error={errors.note}>
          <input value={note} onChange={(event) => setNote(event.target.value)} />
        </Field>
      </div>
      {action.problem && !known.some((field) => errors[field]) && (
        <p className="form-error" role="alert">
          {action.problem.message}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="secondary" onClick={onCancel}>
          {t("cancel")}
        </button>
        <button type="submit" disabled={action.pending}>
          {t("confirmToWaitlist")}
        </button>
      </div>
    </form>
  );
}
