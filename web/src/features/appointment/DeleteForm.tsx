import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { useDeletionReasons } from "../../api/directories";
import { Field } from "../../components/Field";
import { unwrap } from "../../lib/problem";
import type { Versioned } from "./data";
import { useCardAction } from "./useCardAction";

/** SCH-6: «Удалить» with «Причина удаления» (and the patient's own words): into «Корзина». */
export function DeleteForm({ current, onDone, onCancel }: { current: Versioned; onDone(): void; onCancel(): void }) {
  const { t } = useTranslation("appointment");
  const reasons = useDeletionReasons();
  const action = useCardAction(current.appointment.id);
  const [reasonId, setReasonId] = useState("");
  const [comment, setComment] = useState("");
  // Reserved reasons name a patient's own cancellation online: not for the front desk to pick.
  const choices = (reasons.data ?? []).filter((reason) => reason.active && !reason.reserved);
  const errors = action.problem?.fieldErrors() ?? {};

  async function submit() {
    const ok = await action.run(async () => {
      unwrap(
        await api.DELETE("/api/scheduling/appointments/{appointment_id}", {
          params: {
            path: { appointment_id: current.appointment.id },
            header: { "If-Match": current.etag },
            query: { reason_id: reasonId || null, comment: comment.trim() || null },
          },
        }),
      );
    }, t("deleted"));
    if (ok) onDone();
  }

  return (
    <form
      className="appointment-action-form"
      aria-label={t("deleteHeading")}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3>{t("deleteHeading")}</h3>
      <div className="form-grid">
        <Field label={t("reason")} error={errors.reason_id}>
          <select value={reasonId} onChange={(event) => setReasonId(event.target.value)}>
            <option value="">{t("noReason")}</option>
            {choices.map((reason) => (
              <option key={reason.id} value={reason.id}>
                {reason.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("patientComment")} error={errors.comment}>
          <textarea value={comment} maxLength={500} rows={2} onChange={(event) => setComment(event.target.value)} />
        </Field>
      </div>
      {action.problem && !errors.reason_id && !errors.comment && (
        <p className="form-error" role="alert">
          {action.problem.message}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="secondary" onClick={onCancel}>
          {t("cancel")}
        </button>
        <button type="submit" className="danger" disabled={action.pending}>
          {t("confirmDelete")}
        </button>
      </div>
    </form>
  );
}
