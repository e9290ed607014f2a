import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { Dialog } from "../../../components/Dialog";
import { Field } from "../../../components/Field";
import { ApiProblem, problemText, unwrap } from "../../../lib/problem";
import { formatDate, type IsoDate } from "../../../lib/time";
import { ConflictList } from "./ConflictList";
import { loadBooked, spanOf, type Booked, type BulkResult, type DayType, type Owner } from "./data";
import { useClinic } from "../../../lib/clinic";
import { clinicDate } from "../../../lib/time";
import { DayFields } from "./DayFields";
import { apiErrors, dayBody, localErrors, NEW_DAY, NO_ERRORS, type DayErrors, type DayForm } from "./dayForm";
import { apiWeekdays, daysBetween, patternDates, stranded } from "./rules";

/** The calendar API shows at most 62 days: longer fills are checked by the API alone (it skips those days). */
const CHECKABLE_DAYS = 62;

export const WEEKDAY_KEYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

interface FillDialogProps {
  owner: Owner;
  from: IsoDate;
  to: IsoDate;
  dayTypes: DayType[];
  onClose(): void;
  onChanged(): Promise<void>;
}

/** «Заполнить по дням недели»: the same day on the chosen weekdays of a period (one API call). */
export function FillDialog({ owner, from, to, dayTypes, onClose, onChanged }: FillDialogProps) {
  const { t } = useTranslation("workSchedules");
  const [weekdays, setWeekdays] = useState([true, true, true, true, true, false, false]);
  const [period, setPeriod] = useState({ from, to });
  const [form, setForm] = useState<DayForm>(NEW_DAY);
  const [replace, setReplace] = useState(false);
  const [errors, setErrors] = useState<DayErrors>(NO_ERRORS);
  const [message, setMessage] = useState<string | null>(null);
  const [result, setResult] = useState<BulkResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [conflicts, setConflicts] = useState<{ ids: string[]; known: Booked[] } | null>(null);
  const { zone } = useClinic();
  const days = period.from && period.to && period.from <= period.to ? patternDates(period.from, period.to, weekdays).length : 0;

  async function fill() {
    setMessage(null);
    const local = localErrors(form, t);
    const fields: Record<string, string> = {};
    if (!apiWeekdays(weekdays).length) fields.weekdays = t("errors.noWeekday");
    if (!period.from) fields.date_from = t("errors.required");
    if (!period.to) fields.date_to = t("errors.required");
    else if (period.from && period.to < period.from) fields.date_to = t("errors.periodOrder");
    if (local || Object.keys(fields).length) {
      setErrors({ ...(local ?? NO_ERRORS), fields });
      return;
    }
    setErrors(NO_ERRORS);
    if (replace && daysBetween(period.from, period.to) < CHECKABLE_DAYS) {
      setBusy(true);
      try {
        const left = await strandedByFill();
        if (left.ids.length) {
          setConflicts(left);
          return;
        }
      } catch (error) {
        setMessage(problemText(error));
        return;
      } finally {
        setBusy(false);
      }
    }
    await send();
  }

  /** The appointments the replaced days would leave out: shown before anything is sent. */
  async function strandedByFill(): Promise<{ ids: string[]; known: Booked[] }> {
    const booked = await loadBooked(owner, period.from, period.to);
    const dates = new Set(patternDates(period.from, period.to, weekdays));
    const known = [...booked.values()].flat().filter((item) => dates.has(clinicDate(item.start, zone)));
    const ids = stranded(
      known.map((item) => spanOf(item, zone)),
      form.intervals,
      form.breaks,
    );
    return { ids, known };
  }

  async function send() {
    setConflicts(null);
    setBusy(true);
    try {
      const ownerIds = owner.kind === "doctor" ? { doctor_id: owner.id } : { cabinet_id: owner.id };
      const answer = unwrap(
        await api.POST("/api/scheduling/schedules/bulk", {
          body: {
            ...dayBody(form),
            ...ownerIds,
            date_from: period.from,
            date_to: period.to,
            weekdays: apiWeekdays(weekdays),
            replace_existing: replace,
          },
        }),
      );
      setResult(answer);
      await onChanged();
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 422) setErrors(apiErrors(error));
      setMessage(problemText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={t("fill.title")} open onClose={onClose} className="wide">
      {result ? (
        <FillReport result={result} onClose={onClose} />
      ) : conflicts ? (
        <ConflictList
          ids={conflicts.ids}
          known={conflicts.known}
          explain={t("fill.conflictsExplain")}
          onCancel={() => setConflicts(null)}
          proceed={{ label: t("fill.fillOthers"), onClick: () => void send() }}
        />
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void fill();
          }}
        >
          <fieldset className="weekdays" aria-describedby={errors.fields.weekdays ? "fill-weekdays-error" : undefined}>
            <legend>{t("fill.weekdays")}</legend>
            {WEEKDAY_KEYS.map((key, index) => (
              <label className="inline" key={key}>
                <input
                  type="checkbox"
                  checked={weekdays[index]}
                  onChange={(event) => setWeekdays(weekdays.map((on, i) => (i === index ? event.target.checked : on)))}
                />
                <abbr title={t(`weekdays.${key}`)}>{t(`weekdaysShort.${key}`)}</abbr>
              </label>
            ))}
            {errors.fields.weekdays && (
              <p id="fill-weekdays-error" className="field-error">
                {errors.fields.weekdays}
              </p>
            )}
          </fieldset>
          <div className="form-grid">
            <Field label={t("fill.dateFrom")} error={errors.fields.date_from}>
              <input type="date" value={period.from} onChange={(event) => setPeriod({ ...period, from: event.target.value })} />
            </Field>
            <Field label={t("fill.dateTo")} error={errors.fields.date_to}>
              <input type="date" value={period.to} onChange={(event) => setPeriod({ ...period, to: event.target.value })} />
            </Field>
          </div>
          <DayFields form={form} onChange={setForm} errors={errors} dayTypes={dayTypes} />
          <label className="inline">
            <input type="checkbox" checked={replace} onChange={(event) => setReplace(event.target.checked)} />
            {t("fill.replace")}
          </label>
          <p className="muted" aria-live="polite">
            {t("fill.days", { count: days })}
          </p>
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
              {t("fill.submit")}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

/** What the fill did: days created and replaced, and each day skipped with why. */
function FillReport({ result, onClose }: { result: BulkResult; onClose(): void }) {
  const { t } = useTranslation("workSchedules");
  return (
    <div role="status" className="fill-report">
      <p>{t("fill.created", { count: result.created.length })}</p>
      <p>{t("fill.replaced", { count: result.replaced.length })}</p>
      {result.skipped.length > 0 && (
        <>
          <p role="alert">{t("fill.skipped", { count: result.skipped.length })}</p>
          <table className="list">
            <caption className="visually-hidden">{t("fill.skippedCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("fill.date")}</th>
                <th scope="col">{t("fill.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {result.skipped.map((skip) => (
                <tr key={skip.date}>
                  <td>{formatDate(skip.date)}</td>
                  <td>
                    {t(`skip.${skip.reason}`, { defaultValue: skip.reason })}
                    {skip.conflicts && skip.conflicts.length > 0 && ` (${t("fill.conflicts", { count: skip.conflicts.length })})`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <div className="form-actions">
        <button type="button" onClick={onClose}>
          {t("done")}
        </button>
      </div>
    </div>
  );
}
