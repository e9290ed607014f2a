/**
 * The card's fields in sections (ФИО, личные данные, контакты, адрес, примечание): shared by
 * «Новая карта» and the card page. Required fields (PAT-2) carry a star and `aria-required`; the
 * API's message for a field is shown under it.
 */
import { cloneElement, type ReactElement } from "react";
import { useTranslation } from "react-i18next";
import { Field } from "../../components/Field";
import type { CardField, CardForm, RequiredMarks } from "./rules";

interface Props {
  form: CardForm;
  onChange(form: CardForm): void;
  marks: RequiredMarks;
  errors: Record<string, string>;
  disabled?: boolean;
}

export function CardFields({ form, onChange, marks, errors, disabled }: Props) {
  const { t } = useTranslation("patients");
  const set = <K extends CardField>(name: K, value: CardForm[K]) => onChange({ ...form, [name]: value });

  // One field: its label (starred when required), its control, the API's message.
  const field = (name: CardField, control: ReactElement<Record<string, unknown>>, wide = false) => {
    const required = marks.required.has(name) || marks.oneOf.has(name);
    const label = t(`field.${name}`) + (required ? " *" : "");
    return (
      <Field label={label} error={errors[name]} className={wide ? "field wide" : "field"}>
        {cloneElement(control, { "aria-required": required || undefined, disabled })}
      </Field>
    );
  };
  const text = (name: Exclude<CardField, "vip" | "sex">, type = "text", autoComplete?: string) => (
    <input
      type={type}
      value={form[name]}
      autoComplete={autoComplete}
      onChange={(event) => set(name, event.target.value)}
    />
  );

  return (
    <div className="card-fields">
      <fieldset>
        <legend>{t("section.name")}</legend>
        <div className="form-grid">
          {field("last_name", text("last_name", "text", "off"))}
          {field("first_name", text("first_name", "text", "off"))}
          {field("middle_name", text("middle_name", "text", "off"))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("section.personal")}</legend>
        <div className="form-grid">
          {field("birth_date", text("birth_date", "date"))}
          {field(
            "sex",
            <select value={form.sex} onChange={(event) => set("sex", event.target.value as CardForm["sex"])}>
              <option value="">{t("sex.unknown")}</option>
              <option value="male">{t("sex.male")}</option>
              <option value="female">{t("sex.female")}</option>
            </select>,
          )}
          <label className="inline checkbox">
            <input
              type="checkbox"
              checked={form.vip}
              disabled={disabled}
              onChange={(event) => set("vip", event.target.checked)}
            />
            {t("field.vip")}
          </label>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("section.contacts")}</legend>
        {marks.oneOf.size > 0 && <p className="muted">{t("contactRule")}</p>}
        <div className="form-grid">
          {field("mobile_phone", text("mobile_phone", "tel"))}
          {field("email", text("email", "email"))}
          {field(
            "other_phones",
            <textarea rows={2} value={form.other_phones} onChange={(event) => set("other_phones", event.target.value)} />,
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("section.address")}</legend>
        {field(
          "address",
          <textarea rows={2} value={form.address} onChange={(event) => set("address", event.target.value)} />,
          true,
        )}
      </fieldset>
      <fieldset>
        <legend>{t("section.note")}</legend>
        {field("note", <textarea rows={3} value={form.note} onChange={(event) => set("note", event.target.value)} />, true)}
      </fieldset>
      <p className="muted">{t("requiredNote")}</p>
    </div>
  );
}
