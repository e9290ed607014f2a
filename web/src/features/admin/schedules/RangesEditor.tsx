import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { Range } from "./rules";

interface RangesEditorProps {
  /** "interval" or "break": the legend and the row labels. */
  kind: "interval" | "break";
  ranges: Range[];
  onChange(ranges: Range[]): void;
  /** Messages by row index (from the screen's checks or the API's `intervals.1.end`). */
  errors?: Record<number, string>;
  /** A message about the whole list (the API's `intervals`). */
  error?: string;
}

/** The working intervals or the breaks of a day: rows of «с» … «по», added and removed. */
export function RangesEditor({ kind, ranges, onChange, errors = {}, error }: RangesEditorProps) {
  const { t } = useTranslation("workSchedules");
  const id = useId();
  const set = (index: number, patch: Partial<Range>) =>
    onChange(ranges.map((range, i) => (i === index ? { ...range, ...patch } : range)));
  const defaultRange: Range = kind === "interval" ? { start: "09:00", end: "18:00" } : { start: "13:00", end: "14:00" };
  return (
    <fieldset className="ranges">
      <legend>{t(kind === "interval" ? "intervals" : "breaks")}</legend>
      {ranges.length === 0 && <p className="muted">{t(kind === "interval" ? "noIntervals" : "noBreaks")}</p>}
      {ranges.map((range, index) => {
        const name = t(kind === "interval" ? "intervalN" : "breakN", { n: index + 1 });
        const errorId = `${id}-${index}-error`;
        const described = errors[index] ? errorId : undefined;
        return (
          <div className="range-row" key={index}>
            <label className="inline">
              <span>
                <span className="visually-hidden">{name}: </span>
                {t("from")}
              </span>
              <input
                type="time"
                value={range.start}
                required
                aria-invalid={errors[index] ? true : undefined}
                aria-describedby={described}
                onChange={(event) => set(index, { start: event.target.value })}
              />
            </label>
            <label className="inline">
              <span>
                <span className="visually-hidden">{name}: </span>
                {t("to")}
              </span>
              <input
                type="time"
                value={range.end}
                required
                aria-invalid={errors[index] ? true : undefined}
                aria-describedby={described}
                onChange={(event) => set(index, { end: event.target.value })}
              />
            </label>
            <button
              type="button"
              className="secondary"
              aria-label={t("removeRange", { name })}
              onClick={() => onChange(ranges.filter((_, i) => i !== index))}
            >
              ×
            </button>
            {errors[index] && (
              <p id={errorId} className="field-error">
                {errors[index]}
              </p>
            )}
          </div>
        );
      })}
      {error && <p className="field-error">{error}</p>}
      <button type="button" className="secondary" onClick={() => onChange([...ranges, defaultRange])}>
        {t(kind === "interval" ? "addInterval" : "addBreak")}
      </button>
    </fieldset>
  );
}
