/** The editable part of a working day, shared by the day dialog and the fill-by-pattern dialog. */
import type { TFunction } from "i18next";
import { ApiProblem } from "../../../lib/problem";
import { rangeErrors, type Range } from "./rules";

export interface DayForm {
  intervals: Range[];
  breaks: Range[];
  dayTypeId: string;
  note: string;
}

export const NEW_DAY: DayForm = {
  intervals: [{ start: "09:00", end: "18:00" }],
  breaks: [],
  dayTypeId: "",
  note: "",
};

/** The body the API takes for a day ("HH:MM" clinic wall-clock times). */
export function dayBody(form: DayForm) {
  return {
    intervals: form.intervals.map(({ start, end }) => ({ start, end })),
    breaks: form.breaks.map(({ start, end }) => ({ start, end })),
    day_type_id: form.dayTypeId || null,
    note: form.note.trim() || null,
  };
}

export interface DayErrors {
  intervals: Record<number, string>;
  breaks: Record<number, string>;
  intervalsAll?: string;
  breaksAll?: string;
  fields: Record<string, string>;
}

export const NO_ERRORS: DayErrors = { intervals: {}, breaks: {}, fields: {} };

/** What the screen can tell before sending: empty times, an end not after its start, no interval. */
export function localErrors(form: DayForm, t: TFunction): DayErrors | null {
  const message = (kind: "empty" | "order") => t(kind === "empty" ? "errors.emptyTime" : "errors.endBeforeStart");
  const intervals = Object.fromEntries(Object.entries(rangeErrors(form.intervals)).map(([i, k]) => [i, message(k)]));
  const breaks = Object.fromEntries(Object.entries(rangeErrors(form.breaks)).map(([i, k]) => [i, message(k)]));
  const intervalsAll = form.intervals.length === 0 ? t("errors.noInterval") : undefined;
  if (!Object.keys(intervals).length && !Object.keys(breaks).length && !intervalsAll) return null;
  return { intervals, breaks, intervalsAll, fields: {} };
}

/** The API's 422 spread over the rows it names ("intervals.1.end", "breaks.0") and the other fields. */
export function apiErrors(problem: ApiProblem): DayErrors {
  const errors: DayErrors = { intervals: {}, breaks: {}, fields: {} };
  for (const error of problem.body.errors ?? []) {
    const [field, index] = error.field.split(".");
    if ((field === "intervals" || field === "breaks") && index !== undefined && /^\d+$/.test(index)) {
      errors[field][Number(index)] ??= error.message;
    } else if (field === "intervals") errors.intervalsAll = error.message;
    else if (field === "breaks") errors.breaksAll = error.message;
    else errors.fields[error.field] ??= error.message;
  }
  return errors;
}
