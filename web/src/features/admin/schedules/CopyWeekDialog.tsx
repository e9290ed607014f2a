import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { Dialog } from "../../../components/Dialog";
import { Field } from "../../../components/Field";
import { problemText, unwrap } from "../../../lib/problem";
import { addDays, formatDate, type IsoDate } from "../../../lib/time";
import { loadSchedules, type Owner, type Schedule } from "./data";
import { mondayOf, weekCopyPairs } from "./rules";

interface CopyWeekDialogProps {
  owner: Owner;
  /** A date in the week to copy (the first week of the month shown, by default). */
  week: IsoDate;
  onClose(): void;
  onChanged(): Promise<void>;
}

type Outcome = { date: IsoDate; result: "created" | "replaced" | "kept" | "failed"; message?: string };

function bodyOf(schedule: Schedule) {
  return {
    intervals: schedule.intervals.map(({ start, end }) => ({ start, end })),
    breaks: schedule.breaks.map(({ start, end }) => ({ start, end })),
    day_type_id: schedule.day_type_id,
    note: schedule.note,
  };
}

/**
 * «Копировать неделю»: the API has no copy, so each working day of the source week is created on
 * the same weekday of the target week (or replaces the day there, with its version, when asked).
 * Each day succeeds or fails on its own, and the report says which and why.
 */
export function CopyWeekDialog({ owner, week, onClose, onChanged }: CopyWeekDialogProps) {
  const { t } = useTranslation("workSchedules");
  const [source, setSource] = useState(mondayOf(week));
  const [target, setTarget] = useState<"next" | "chosen">("next");
  const [chosen, setChosen] = useState(addDays(mondayOf(week), 14));
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null);
  const sourceMonday = source ? mondayOf(source) : "";
  const targetMonday = target === "next" ? (sourceMonday ? addDays(sourceMonday, 7) : "") : chosen ? mondayOf(chosen) : "";

  async function copy() {
    setMessage(null);
    if (!sourceMonday || !targetMonday) return setMessage(t("errors.required"));
    if (sourceMonday === targetMonday) return setMessage(t("copy.sameWeek"));
    setBusy(true);
    try {
      const [from, to] = await Promise.all([
        loadSchedules(owner, sourceMonday, addDays(sourceMonday, 6)),
        loadSchedules(owner, targetMonday, addDays(targetMonday, 6)),
      ]);
      if (!from.length) {
        setMessage(t("copy.emptyWeek"));
        return;
      }
      const bySource = new Map(from.map((s) => [s.date, s]));
      const byTarget = new Map(to.map((s) => [s.date, s]));
      const done: Outcome[] = [];
      for (const pair of weekCopyPairs(sourceMonday, targetMonday)) {
        const day = bySource.get(pair.from);
        if (!day) continue;
        const existing = byTarget.get(pair.to);
        try {
          if (existing && !replace) {
            done.push({ date: pair.to, result: "kept" });
          } else if (existing) {
            unwrap(
              await api.PUT("/api/scheduling/schedules/{schedule_id}", {
                params: { path: { schedule_id: existing.id }, header: { "If-Match": `"${existing.version}"` } },
                body: bodyOf(day),
              }),
            );
            done.push({ date: pair.to, result: "replaced" });
          } else {
            const ownerIds = owner.kind === "doctor" ? { doctor_id: owner.id } : { cabinet_id: owner.id };
            unwrap(await api.POST("/api/scheduling/schedules", { body: { ...bodyOf(day), ...ownerIds, date: pair.to } }));
            done.push({ date: pair.to, result: "created" });
          }
        } catch (error) {
          done.push({ date: pair.to, result: "failed", message: problemText(error) });
        }
      }
      setOutcomes(done);
      await onChanged();
    } catch (error) {
      setMessage(problemText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={t("copy.title")} open onClose={onClose}>
      {outcomes ? (
        <div role="status">
          <table className="list">
            <caption>{t("copy.report", { from: formatDate(sourceMonday), to: formatDate(targetMonday) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("fill.date")}</th>
                <th scope="col">{t("copy.result")}</th>
              </tr>
            </thead>
            <tbody>
              {outcomes.map((outcome) => (
                <tr key={outcome.date}>
                  <td>{formatDate(outcome.date)}</td>
                  <td>{outcome.message ?? t(`copy.${outcome.result}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="form-actions">
            <button type="button" onClick={onClose}>
              {t("done")}
            </button>
          </div>
        </div>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void copy();
          }}
        >
          <Field label={t("copy.source")}>
            <input type="date" value={source} onChange={(event) => setSource(event.target.value)} />
          </Field>
          {sourceMonday && (
            <p className="muted">{t("copy.week", { from: formatDate(sourceMonday), to: formatDate(addDays(sourceMonday, 6)) })}</p>
          )}
          <fieldset>
            <legend>{t("copy.target")}</legend>
            <label className="inline">
              <input type="radio" name="copy-target" checked={target === "next"} onChange={() => setTarget("next")} />
              {t("copy.next")}
            </label>
            <label className="inline">
              <input type="radio" name="copy-target" checked={target === "chosen"} onChange={() => setTarget("chosen")} />
              {t("copy.chosen")}
            </label>
            {target === "chosen" && (
              <Field label={t("copy.targetDate")}>
                <input type="date" value={chosen} onChange={(event) => setChosen(event.target.value)} />
              </Field>
            )}
            {targetMonday && (
              <p className="muted">{t("copy.week", { from: formatDate(targetMonday), to: formatDate(addDays(targetMonday, 6)) })}</p>
            )}
          </fieldset>
          <label className="inline">
            <input type="checkbox" checked={replace} onChange={(event) => setReplace(event.target.checked)} />
            {t("fill.replace")}
          </label>
          {message && (
            <p role="alert" className="form-error">
              {message}
            </p>
          )}
          <div className="form-actions">
            <button type="button" className="secondary" onClick={onClose}>
              {t("cancel")}
            </button>
            <button type="submit" disabled={busy}>
              {t("copy.submit")}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
