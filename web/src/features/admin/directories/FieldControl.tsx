import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Field } from "../../../components/Field";
import type { FieldDescription } from "./descriptions";
import type { FormValue, Item } from "./form";

interface Props {
  field: FieldDescription;
  value: FormValue;
  onChange(value: FormValue): void;
  /** The API's message for this field. */
  error?: string;
  /** For select and multiselect: the items of the field's source directory. */
  options: Item[];
}

/** One control of the edit form, chosen by the field's kind; always labelled, with its error. */
export function FieldControl({ field, value, onChange, error, options }: Props) {
  const { t } = useTranslation("directories");
  const label = t(`fields.${field.label}`) + (field.required ? " *" : "");
  const common = { "aria-required": field.required || undefined };
  const text = typeof value === "string" ? value : "";
  switch (field.kind) {
    case "multiselect":
      return <MultiSelect label={label} value={Array.isArray(value) ? value : []} onChange={onChange} error={error} options={options} />;
    case "boolean":
      return (
        <Field label={label} error={error} className="field field-checkbox">
          <input type="checkbox" checked={value === true} onChange={(event) => onChange(event.target.checked)} />
        </Field>
      );
    case "select":
      return (
        <Field label={label} error={error}>
          <select value={text} onChange={(event) => onChange(event.target.value)} {...common}>
            <option value="">{t("none")}</option>
            {options
              .filter((option) => option.active || option.id === text)
              .map((option) => (
                <option key={option.id} value={option.id}>
                  {String(option.name)}
                  {option.active ? "" : ` (${t("inactive")})`}
                </option>
              ))}
          </select>
        </Field>
      );
    case "colour":
      return (
        <Field label={label} error={error} className="field field-colour">
          <input type="color" value={text || "#ffffff"} onChange={(event) => onChange(event.target.value)} {...common} />
        </Field>
      );
    case "textarea":
      return (
        <Field label={label} error={error} className="field field-wide">
          <textarea rows={3} value={text} onChange={(event) => onChange(event.target.value)} {...common} />
        </Field>
      );
    case "number":
    case "money":
      return (
        <Field label={label} error={error}>
          <input
            type="text"
            inputMode={field.kind === "money" ? "decimal" : "numeric"}
            value={text}
            onChange={(event) => onChange(event.target.value)}
            {...common}
          />
        </Field>
      );
    default:
      return (
        <Field label={label} error={error}>
          <input type="text" value={text} onChange={(event) => onChange(event.target.value)} {...common} />
        </Field>
      );
  }
}

/** Several items of another directory: a group of checkboxes named by its legend (e.g. a doctor's specializations). */
function MultiSelect({
  label,
  value,
  onChange,
  error,
  options,
}: {
  label: string;
  value: string[];
  onChange(value: string[]): void;
  error?: string;
  options: Item[];
}) {
  const { t } = useTranslation("directories");
  const errorId = useId();
  const chosen = new Set(value);
  return (
    <fieldset className="field-wide multi-select" aria-describedby={error ? errorId : undefined}>
      <legend>{label}</legend>
      <div className="multi-select-options">
        {options
          .filter((option) => option.active || chosen.has(option.id))
          .map((option) => (
            <label key={option.id} className="inline">
              <input
                type="checkbox"
                checked={chosen.has(option.id)}
                onChange={(event) =>
                  onChange(event.target.checked ? [...value, option.id] : value.filter((id) => id !== option.id))
                }
              />
              {String(option.name)}
              {option.active ? "" : ` (${t("inactive")})`}
            </label>
          ))}
      </div>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
