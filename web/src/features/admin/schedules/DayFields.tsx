import { useTranslation } from "react-i18next";
import { Field } from "../../../components/Field";
import type { DayType } from "./data";
import type { DayErrors, DayForm } from "./dayForm";
import { RangesEditor } from "./RangesEditor";

/** Intervals, breaks, day type and note of a day: what one day and a fill by pattern share. */
export function DayFields({
  form,
  onChange,
  errors,
  dayTypes,
}: {
  form: DayForm;
  onChange(form: DayForm): void;
  errors: DayErrors;
  dayTypes: DayType[];
}) {
  const { t } = useTranslation("workSchedules");
  return (
    <div className="day-fields">
      <RangesEditor
        kind="interval"
        ranges={form.intervals}
        onChange={(intervals) => onChange({ ...form, intervals })}
        errors={errors.intervals}
        error={errors.intervalsAll}
      />
      <RangesEditor
        kind="break"
        ranges={form.breaks}
        onChange={(breaks) => onChange({ ...form, breaks })}
        errors={errors.breaks}
        error={errors.breaksAll}
      />
      <div className="form-grid">
        <DayTypeField
          value={form.dayTypeId}
          onChange={(dayTypeId) => onChange({ ...form, dayTypeId })}
          dayTypes={dayTypes}
          error={errors.fields.day_type_id}
        />
        <Field label={t("note")} error={errors.fields.note}>
          <textarea value={form.note} rows={2} maxLength={4000} onChange={(event) => onChange({ ...form, note: event.target.value })} />
        </Field>
      </div>
    </div>
  );
}

export function DayTypeField({
  value,
  onChange,
  dayTypes,
  error,
}: {
  value: string;
  onChange(value: string): void;
  dayTypes: DayType[];
  error?: string;
}) {
  const { t } = useTranslation("workSchedules");
  return (
    <Field label={t("dayType")} error={error}>
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{t("noDayType")}</option>
        {dayTypes
          .filter((type) => type.active || type.id === value)
          .map((type) => (
            <option key={type.id} value={type.id}>
              {type.name}
            </option>
          ))}
      </select>
    </Field>
  );
}
