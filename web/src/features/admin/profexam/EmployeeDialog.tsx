import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas } from "../../../api/client";
import { Dialog } from "../../../components/Dialog";
import { Field } from "../../../components/Field";
import { useNotice } from "../../../components/Notice";
import { ApiProblem, toProblem, unwrap } from "../../../lib/problem";
import { CardSearch, type CardSummary } from "./CardSearch";
import { pk, type Exam } from "./data";

const CONDITIONS = ["1", "2", "3.1", "3.2", "3.3", "3.4", "4"] as const;
type Conditions = (typeof CONDITIONS)[number];

/** Harmful factor codes as typed: separated by «;», «,» or spaces. */
export function splitCodes(text: string): string[] {
  return text
    .split(/[;,\s]+/)
    .map((code) => code.trim())
    .filter(Boolean);
}

/**
 * Adding an employee: «Карта пациента» (a new card, typed in) or from the archive of cards
 * (search, choose, «ОК»); the exam's fields are the same for both.
 */
export function EmployeeDialog({ exam, fromCard, onClose }: { exam: Exam; fromCard: boolean; onClose(): void }) {
  const { t } = useTranslation("profexam");
  const notice = useNotice();
  const queryClient = useQueryClient();
  const [card, setCard] = useState<CardSummary | null>(null);
  const [person, setPerson] = useState({ last_name: "", first_name: "", middle_name: "", birth_date: "", sex: "", mobile_phone: "" });
  const [job, setJob] = useState({ position: "", department: "", exam_type: "1", working_conditions: "", factors: "" });
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const body: Schemas["ProfexamEmployeeCreate"] = {
      position: job.position || null,
      department: job.department || null,
      exam_type: Number(job.exam_type) as -1 | 0 | 1,
      working_conditions: (job.working_conditions || null) as Conditions | null,
      harmful_factor_codes: splitCodes(job.factors),
      ...(fromCard
        ? { patient_id: card?.id ?? null }
        : {
            patient: {
              last_name: person.last_name,
              first_name: person.first_name,
              middle_name: person.middle_name || null,
              birth_date: person.birth_date,
              sex: (person.sex || null) as "male" | "female" | null,
              mobile_phone: person.mobile_phone || null,
            },
          }),
    };
    try {
      unwrap(
        await api.POST("/api/profexam/exams/{exam_id}/employees", { params: { path: { exam_id: exam.id } }, body }),
      );
      await queryClient.invalidateQueries({ queryKey: pk.employees(exam.id) });
      notice(t("employees.added"), "ok");
      onClose();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  }

  const errors = problem?.fieldErrors() ?? {};
  const text = (name: keyof typeof person, label: string, type = "text") => (
    <Field label={label} error={errors[name]}>
      <input type={type} value={person[name]} onChange={(e) => setPerson({ ...person, [name]: e.target.value })} />
    </Field>
  );
  return (
    <Dialog title={fromCard ? t("employees.fromCardTitle") : t("employees.newTitle")} open onClose={onClose} className="wide">
      <form onSubmit={submit} noValidate>
        {fromCard ? (
          <>
            <CardSearch onChoose={setCard} chosenId={card?.id} />
            {errors.patient_id && <p className="field-error">{errors.patient_id}</p>}
          </>
        ) : (
          <div className="form-grid">
            {text("last_name", t("fields.last_name"))}
            {text("first_name", t("fields.first_name"))}
            {text("middle_name", t("fields.middle_name"))}
            {text("birth_date", t("fields.birth_date"), "date")}
            <Field label={t("fields.sex")} error={errors.sex}>
              <select value={person.sex} onChange={(e) => setPerson({ ...person, sex: e.target.value })}>
                <option value="">{t("employees.sexByPatronymic")}</option>
                <option value="male">{t("employees.male")}</option>
                <option value="female">{t("employees.female")}</option>
              </select>
            </Field>
            {text("mobile_phone", t("fields.phone"), "tel")}
          </div>
        )}
        <div className="form-grid">
          <Field label={t("fields.position")} error={errors.position}>
            <input value={job.position} onChange={(e) => setJob({ ...job, position: e.target.value })} />
          </Field>
          <Field label={t("fields.department")} error={errors.department}>
            <input value={job.department} onChange={(e) => setJob({ ...job, department: e.target.value })} />
          </Field>
          <Field label={t("fields.exam_type")} error={errors.exam_type}>
            <select value={job.exam_type} onChange={(e) => setJob({ ...job, exam_type: e.target.value })}>
              <option value="1">{t("examType.1")}</option>
              <option value="0">{t("examType.0")}</option>
              <option value="-1">{t("examType.-1")}</option>
            </select>
          </Field>
          <Field label={t("fields.working_conditions")} error={errors.working_conditions}>
            <select value={job.working_conditions} onChange={(e) => setJob({ ...job, working_conditions: e.target.value })}>
              <option value="">{t("employees.notSet")}</option>
              {CONDITIONS.map((c) => (
                <option key={c} value={c}>
                  {t("employees.conditionClass", { value: c })}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("fields.harmful_factors")} error={errors.harmful_factor_codes}>
            <input value={job.factors} onChange={(e) => setJob({ ...job, factors: e.target.value })} />
          </Field>
        </div>
        {problem && (
          <p role="alert" className="field-error">
            {problem.message}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" disabled={busy || (fromCard && !card)}>
            {fromCard ? t("actions.ok") : t("actions.save")}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            {t("actions.cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
