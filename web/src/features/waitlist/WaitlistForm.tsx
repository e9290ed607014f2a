import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { doctorShortName, useDoctors, useSpecializations } from "../../api/directories";
import { keys } from "../../api/keys";
import { useUser } from "../../auth/AuthProvider";
import { Field } from "../../components/Field";
import { useNotice } from "../../components/Notice";
import { ApiProblem, toProblem, unwrap } from "../../lib/problem";
import { formatDate } from "../../lib/time";
import { EMPTY_ENTRY, type EntryErrors, type EntryForm, entryBody, entryFieldOf, validateEntry } from "./rules";

interface Props {
  /** the schedule's date: the wished date to start with («Очистить дату и время» leaves none) */
  date: string;
  /** the first doctor shown, to start with */
  doctorId: string;
  onDone(): void;
  onCancel(): void;
}

/** A new waiting-list entry: a patient typed in or a card, a doctor or specialization, a wish or none. */
export function WaitlistForm({ date, doctorId, onDone, onCancel }: Props) {
  const { t } = useTranslation("waitlist");
  const user = useUser();
  const notice = useNotice();
  const queries = useQueryClient();
  const doctors = useDoctors();
  const specializations = useSpecializations();
  const [form, setForm] = useState<EntryForm>({ ...EMPTY_ENTRY, date, doctorId });
  const [errors, setErrors] = useState<EntryErrors>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [pending, setPending] = useState(false);
  const [cardQuery, setCardQuery] = useState("");
  const canSearchCards = user.can("patients.read");
  const cards = useQuery({
    queryKey: [...keys.patients, "waitlist", cardQuery],
    enabled: form.mode === "card" && cardQuery.trim().length >= 2,
    queryFn: async () =>
      unwrap(await api.GET("/api/patients/cards", { params: { query: { q: cardQuery.trim(), limit: 20 } } })).items,
  });

  const apiErrors: Partial<Record<keyof EntryForm, string>> = {};
  for (const [field, message] of Object.entries(problem?.fieldErrors() ?? {})) {
    const own = entryFieldOf(field);
    if (own) apiErrors[own] ??= message;
  }
  const errorOf = (field: keyof EntryForm) => (errors[field] ? t(`errors.${errors[field]}`) : apiErrors[field]);
  const set = (field: keyof EntryForm) => (value: string) => setForm((current) => ({ ...current, [field]: value }));

  async function submit() {
    const found = validateEntry(form);
    setErrors(found);
    setProblem(null);
    if (Object.keys(found).length > 0) return;
    setPending(true);
    try {
      unwrap(await api.POST("/api/scheduling/waitlist", { body: entryBody(form) }));
      notice(t("added"), "ok");
      await queries.invalidateQueries({ queryKey: keys.waitlist });
      onDone();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <form
      className="waitlist-form"
      aria-label={t("newEntry")}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3>{t("newEntry")}</h3>
      <fieldset className="waitlist-mode">
        <legend>{t("patient")}</legend>
        <label className="inline">
          <input type="radio" name="waitlist-mode" checked={form.mode === "typed"} onChange={() => set("mode")("typed")} />
          {t("typedPatient")}
        </label>
        {canSearchCards && (
          <label className="inline">
            <input type="radio" name="waitlist-mode" checked={form.mode === "card"} onChange={() => set("mode")("card")} />
            {t("cardPatient")}
          </label>
        )}
      </fieldset>
      {form.mode === "typed" ? (
        <div className="form-grid">
          <Field label={t("lastName")} error={errorOf("lastName")}>
            <input value={form.lastName} autoComplete="off" onChange={(event) => set("lastName")(event.target.value)} />
          </Field>
          <Field label={t("firstName")} error={errorOf("firstName")}>
            <input value={form.firstName} autoComplete="off" onChange={(event) => set("firstName")(event.target.value)} />
          </Field>
          <Field label={t("middleName")} error={errorOf("middleName")}>
            <input value={form.middleName} autoComplete="off" onChange={(event) => set("middleName")(event.target.value)} />
          </Field>
          <Field label={t("phone")} error={errorOf("phone")}>
            <input type="tel" value={form.phone} onChange={(event) => set("phone")(event.target.value)} />
          </Field>
          <Field label={t("birthDate")} error={errorOf("birthDate")}>
            <input type="date" value={form.birthDate} onChange={(event) => set("birthDate")(event.target.value)} />
          </Field>
        </div>
      ) : (
        <div className="form-grid">
          <Field label={t("cardSearch")}>
            <input type="search" value={cardQuery} onChange={(event) => setCardQuery(event.target.value)} />
          </Field>
          <Field label={t("card")} error={errorOf("cardId")}>
            <select value={form.cardId} onChange={(event) => set("cardId")(event.target.value)}>
              <option value="">{cards.data?.length === 0 ? t("noCards") : t("chooseCard")}</option>
              {(cards.data ?? []).map((card) => (
                <option key={card.id} value={card.id}>
                  {[card.card_number, card.last_name, card.first_name, card.middle_name].filter(Boolean).join(" ")}
                  {card.birth_date ? `, ${formatDate(card.birth_date)}` : ""}
                </option>
              ))}
            </select>
          </Field>
        </div>
      )}
      <div className="form-grid">
        <Field label={t("doctor")} error={errorOf("doctorId")}>
          <select value={form.doctorId} onChange={(event) => set("doctorId")(event.target.value)}>
            <option value="">{t("anyDoctor")}</option>
            {(doctors.data ?? []).map((doctor) => (
              <option key={doctor.id} value={doctor.id}>
                {doctorShortName(doctor)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("specialization")} error={errorOf("specializationId")}>
          <select value={form.specializationId} onChange={(event) => set("specializationId")(event.target.value)}>
            <option value="">{t("anySpecialization")}</option>
            {(specializations.data ?? []).map((specialization) => (
              <option key={specialization.id} value={specialization.id}>
                {specialization.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("wishedDate")} error={errorOf("date")}>
          <input type="date" value={form.date} onChange={(event) => set("date")(event.target.value)} />
        </Field>
        <Field label={t("timeFrom")} error={errorOf("timeFrom")}>
          <input type="time" step={300} value={form.timeFrom} onChange={(event) => set("timeFrom")(event.target.value)} />
        </Field>
        <Field label={t("timeTo")} error={errorOf("timeTo")}>
          <input type="time" step={300} value={form.timeTo} onChange={(event) => set("timeTo")(event.target.value)} />
        </Field>
        <Field label={t("note")} error={errorOf("note")}>
          <input value={form.note} onChange={(event) => set("note")(event.target.value)} />
        </Field>
      </div>
      {problem && Object.keys(apiErrors).length === 0 && (
        <p className="form-error" role="alert">
          {problem.message}
        </p>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="secondary"
          onClick={() => setForm((current) => ({ ...current, date: "", timeFrom: "", timeTo: "" }))}
        >
          {t("clearDate")}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t("cancel")}
        </button>
        <button type="submit" disabled={pending}>
          {t("add")}
        </button>
      </div>
    </form>
  );
}
