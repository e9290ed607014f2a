/**
 * Pure rules of «Расписание работы» (SCH-2): the month grid (Monday first, as a Russian calendar),
 * the weekday pattern as the API counts it, copying a week, and which appointments a new day
 * would leave outside working time (the same rule the API applies before it refuses with 409).
 */
import { addDays, isoWeekday, minutesOf, type IsoDate } from "../../../lib/time";

export interface GridDay {
  date: IsoDate;
  /** False for the leading and trailing days of the neighbouring months. */
  inMonth: boolean;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

/** "2026-12" → "2026-12-01". */
export function firstOfMonth(month: string): IsoDate {
  return `${month}-01`;
}

/** The month ("2026-12") of a date. */
export function monthOf(date: IsoDate): string {
  return date.slice(0, 7);
}

/** The month `delta` months after `month`. */
export function shiftMonth(month: string, delta: number): string {
  const [year, number] = month.split("-").map(Number);
  const index = year * 12 + (number - 1) + delta;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

export function lastOfMonth(month: string): IsoDate {
  return addDays(firstOfMonth(shiftMonth(month, 1)), -1);
}

/** The Monday of the week holding `date`. */
export function mondayOf(date: IsoDate): IsoDate {
  return addDays(date, 1 - isoWeekday(date));
}

/**
 * The month as whole weeks, Monday first: the leading days of the previous month and the
 * trailing days of the next one fill the first and last weeks.
 */
export function monthGrid(month: string): GridDay[][] {
  const first = firstOfMonth(month);
  const last = lastOfMonth(month);
  const weeks: GridDay[][] = [];
  for (let monday = mondayOf(first); monday <= last; monday = addDays(monday, 7)) {
    weeks.push(
      Array.from({ length: 7 }, (_, index) => {
        const date = addDays(monday, index);
        return { date, inMonth: monthOf(date) === month };
      }),
    );
  }
  return weeks;
}

/** The grid's first and last dates: what to load for the month view. */
export function gridBounds(month: string): { from: IsoDate; to: IsoDate } {
  const weeks = monthGrid(month);
  return { from: weeks[0][0].date, to: weeks[weeks.length - 1][6].date };
}

/**
 * The checked boxes Пн…Вс (index 0 = Monday) as the API's `weekdays` (0 = Monday … 6 = Sunday,
 * Python's `date.weekday()`): the same order, so the index is the number.
 */
export function apiWeekdays(checked: readonly boolean[]): number[] {
  return checked.flatMap((on, index) => (on && index < 7 ? [index] : []));
}

/** The dates of `from`…`to` whose weekday is checked: what a fill by pattern creates. */
export function patternDates(from: IsoDate, to: IsoDate, checked: readonly boolean[]): IsoDate[] {
  const dates: IsoDate[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    if (checked[isoWeekday(date) - 1]) dates.push(date);
  }
  return dates;
}

/** Each day of the source week with its date in the target week (same weekday). */
export function weekCopyPairs(sourceMonday: IsoDate, targetMonday: IsoDate): { from: IsoDate; to: IsoDate }[] {
  return Array.from({ length: 7 }, (_, index) => ({ from: addDays(sourceMonday, index), to: addDays(targetMonday, index) }));
}

export interface Range {
  start: string; // "09:00"
  end: string; // "15:00" ("24:00" = end of day)
}

/** An appointment on the clinic's clock of its date: minutes after midnight. */
export interface BookedSpan {
  id: string;
  start: number;
  end: number;
}

/**
 * The appointments a day with these intervals and breaks would leave out: not inside one
 * working interval, or touching a break (half-open: ending exactly when a break starts is fine).
 * The API's `placement_problem`, on wall-clock minutes.
 */
export function stranded(spans: readonly BookedSpan[], intervals: readonly Range[], breaks: readonly Range[]): string[] {
  const work = intervals.map((r) => [minutesOf(r.start), minutesOf(r.end)] as const);
  const pauses = breaks.map((r) => [minutesOf(r.start), minutesOf(r.end)] as const);
  return spans
    .filter((span) => {
      const inside = work.some(([start, end]) => start <= span.start && span.end <= end);
      const inBreak = pauses.some(([start, end]) => start < span.end && span.start < end);
      return !inside || inBreak;
    })
    .map((span) => span.id);
}

/** "09:00–13:00, 14:00–18:00". */
export function rangesText(ranges: readonly Range[]): string {
  return ranges.map((r) => `${r.start}–${r.end}`).join(", ");
}

/** The problems of typed ranges the screen can tell before asking the API (by index). */
export function rangeErrors(ranges: readonly Range[]): Record<number, "empty" | "order"> {
  const errors: Record<number, "empty" | "order"> = {};
  ranges.forEach((range, index) => {
    if (!range.start || !range.end) errors[index] = "empty";
    else if (minutesOf(range.end) <= minutesOf(range.start)) errors[index] = "order";
  });
  return errors;
}

/** Whole days from `from` to `to` (0 for the same date). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  const utc = (date: IsoDate) => {
    const [year, month, day] = date.split("-").map(Number);
    return Date.UTC(year, month - 1, day);
  };
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}
