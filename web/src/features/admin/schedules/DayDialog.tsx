import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { Dialog } from "../../../components/Dialog";
import { useNotice } from "../../../components/Notice";
import { useClinic } from "../../../lib/clinic";
import { ApiProblem, problemText, unwrap } from "../../../lib/problem";
import { formatDate, type IsoDate } from "../../../lib/time";
import { ConflictList } from "./ConflictList";
import type { Booked, DayType, Owner, Schedule } from "./data";
import { spanOf } from "./data";
import { apiErrors, dayBody, localErrors, NEW_DAY, NO_ERRORS, type DayErrors, type DayForm } from "./dayForm";
import { DayFields } from "./DayFields";
import { stranded } from "./rules";

interface DayDialogProps {
  owner: Owner;
  date: IsoDate;
  schedule: Schedule | undefined;
  booked: Booked[];
  dayTypes: DayType[];
  onClose(): void;
  onChanged(): Promise<void>;
}

function formOf(schedule: Schedule | undefined): DayForm {
  if (!schedule) return NEW_DAY;
  return {
    intervals: schedule.intervals.map(({ start, end }) => ({ start, end })),
    breaks: schedule.breaks.map(({ start, end }) => ({ start, end })),
    dayTypeId: schedule.day_type_id ?? "",
    note: schedule.note ?? "",
  };
}

/** One working day: create it, change its intervals, breaks, day type and note, or delete it. */
export function DayDialog({ owner, date, schedule, booked, dayTypes, onClose, onChanged }: DayDialogProps) {
  const { t } = useTranslation("workSchedules");
  const { zone } = useClinic();
  const notice = useNotice();
  const [form, setForm] = useState<DayForm>(() => formOf(schedule));
  const [errors, setErrors] = useState<DayErrors>(NO_ERRORS);
  const [message, setMessage] = useState<string | null>(null);
  const [conflicts, setConflicts] = useState<string[] | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const spans = booked.map((item) => spanOf(item, zone));
  const ifMatch = schedule ? { "If-Match": `"${schedule.version}"` } : undefined;

  async function refused(error: unknown) {
    if (error instanceof ApiProblem) {
      const ids = error.body.conflicts;
      if (error.status === 409 && Array.isArray(ids) && error.code === "schedule-conflict") {
        setConflicts(ids.map(String));
        return;
      }
      if (error.status === 412) {
        setMessage(t("stale"));
        await onChanged();
        return;
      }
      if (error.status === 422) setErrors(apiErrors(error));
    }
    setMessage(problemText(error));
  }

  async function save() {
    setMessage(null);
    const local = localErrors(form, t);
    setErrors(local ?? NO_ERRORS);
    if (local) return;
    // Shown before sending: the API would refuse with 409 naming the same appointments.
    const left = stranded(spans, form.intervals, form.breaks);
    if (left.length) {
      setConflicts(left);
      return;
    }
    setBusy(true);
    try {
      if (schedule) {
        unwrap(
          await api.PUT("/api/scheduling/schedules/{schedule_id}", {
            params: { path: { schedule_id: schedule.id }, header: ifMatch },
            body: dayBody(form),
          }),
        );
      } else {
        const ownerIds = owner.kind === "doctor" ? { doctor_id: owner.id } : { cabinet_id: owner.id };
        unwrap(await api.POST("/api/scheduling/schedules", { body: { ...dayBody(form), ...ownerIds, date } }));
      }
      notice(t("saved", { date: formatDate(date) }), "ok");
      await onChanged();
      onClose();
    } catch (error) {
      await refused(error);
    } finally {
      setBusy(false);
    }
  }

  function askDelete() {
    setMessage(null);
    // A doctor's day cannot go while it holds appointments; a cabinet's day always can (the API's rule).
    if (owner.kind === "doctor" && spans.length) {
      setConflicts(spans.map((span) => span.id));
      return;
    }
    setConfirmDelete(true);
  }

  async function remove() {
    if (!schedule) return;
    setBusy(true);
    try {
      unwrap(
        await api.DELETE("/api/scheduling/schedules/{schedule_id}", {
          params: { path: { schedule_id: schedule.id }, header: ifMatch },
        }),
      );
      notice(t("deleted", { date: formatDate(date) }), "ok");
      await onChanged();
      onClose();
    } catch (error) {
      setConfirmDelete(false);
      await refused(error);
    } finally {
      setBusy(false);
    }
  }

  const title = t(schedule ? "dayDialog.edit" : "dayDialog.create", { date: formatDate(date) });
  return (
    <Dialog title={title} open onClose={onClose} className="wide">
      {conflicts ? (
        <ConflictList ids={conflicts} known={booked} onCancel={() => setConflicts(null)} />
      ) : confirmDelete ? (
        <div role="alertdialog" aria-labelledby="schedule-delete-question">
          <p id="schedule-delete-question">{t("dayDialog.deleteQuestion", { date: formatDate(date) })}</p>
          <div className="form-actions">
            <button type="button" className="secondary" onClick={() => setConfirmDelete(false)}>
              {t("cancel")}
            </button>
            <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
              {t("delete")}
            </button>
          </div>
        </div>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          {booked.length > 0 && <p className="muted">{t("dayDialog.booked", { count: booked.length })}</p>}
          <DayFields form={form} onChange={setForm} errors={errors} dayTypes={dayTypes} />
          {message && (
            <p role="alert" className="form-error">
              {message}
            </p>
          )}
          <div className="form-actions">
            {schedule && (
              <button type="button" className="danger" onClick={askDelete} disabled={busy}>
                {t("delete")}
              </button>
            )}
            <button type="button" className="secondary" onClick={onClose}>
              {t("cancel")}
            </button>
            <button type="submit" disabled={busy}>
              {t("save")}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
