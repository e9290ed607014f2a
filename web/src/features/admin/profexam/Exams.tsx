import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { Field } from "../../../components/Field";
import { ApiProblem, toProblem, unwrap } from "../../../lib/problem";
import { formatDate } from "../../../lib/time";
import { pk, useContracts, useExams, type Exam, type Organization } from "./data";
import { ExamPanel } from "./ExamPanel";

/** The organisation's exams («Профосмотры»): choose one to work with its employees, or add one. */
export function Exams({ org, canWrite }: { org: Organization; canWrite: boolean }) {
  const { t } = useTranslation("profexam");
  const queryClient = useQueryClient();
  const exams = useExams(org.id);
  const contracts = useContracts(org.id);
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [form, setForm] = useState({ name: "", period_from: "", period_to: "", kind: "", contract_id: "" });
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const chosen: Exam | undefined = exams.data?.items.find((exam) => exam.id === chosenId);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    try {
      const exam = unwrap(
        await api.POST("/api/profexam/exams", {
          body: {
            organization_id: org.id,
            name: form.name,
            period_from: form.period_from,
            period_to: form.period_to,
            kind: form.kind || null,
            contract_id: form.contract_id || null,
          },
        }),
      );
      setForm({ name: "", period_from: "", period_to: "", kind: "", contract_id: "" });
      await queryClient.invalidateQueries({ queryKey: pk.exams(org.id) });
      setChosenId(exam.id);
    } catch (error) {
      setProblem(toProblem(error));
    }
  }
  const errors = problem?.fieldErrors() ?? {};
  return (
    <div>
      <table className="list">
        <caption>{t("exams.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("exams.name")}</th>
            <th scope="col">{t("exams.period")}</th>
            <th scope="col">{t("exams.kind")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("exams.open")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(exams.data?.items ?? []).map((exam) => (
            <tr key={exam.id} aria-selected={exam.id === chosenId}>
              <td>{exam.name}</td>
              <td>
                {formatDate(exam.period_from)} — {formatDate(exam.period_to)}
              </td>
              <td>{exam.kind ?? ""}</td>
              <td>
                <button type="button" className="secondary" aria-pressed={exam.id === chosenId} onClick={() => setChosenId(exam.id)}>
                  {t("exams.openNamed", { name: exam.name })}
                </button>
              </td>
            </tr>
          ))}
          {exams.data && exams.data.items.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {t("exams.none")}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {canWrite && (
        <form onSubmit={submit} noValidate className="form-grid" aria-labelledby="pe-exam-new">
          <h3 id="pe-exam-new">{t("exams.new")}</h3>
          <Field label={t("exams.name")} error={errors.name}>
            <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </Field>
          <Field label={t("exams.periodFrom")} error={errors.period_from}>
            <input type="date" value={form.period_from} onChange={(e) => setForm({ ...form, period_from: e.target.value })} />
          </Field>
          <Field label={t("exams.periodTo")} error={errors.period_to}>
            <input type="date" value={form.period_to} onChange={(e) => setForm({ ...form, period_to: e.target.value })} />
          </Field>
          <Field label={t("exams.kind")} error={errors.kind}>
            <input value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })} />
          </Field>
          <Field label={t("exams.contract")} error={errors.contract_id}>
            <select value={form.contract_id} onChange={(e) => setForm({ ...form, contract_id: e.target.value })}>
              <option value="">{t("exams.contractInForce")}</option>
              {(contracts.data?.items ?? []).map((contract) => (
                <option key={contract.id} value={contract.id}>
                  {contract.number}
                </option>
              ))}
            </select>
          </Field>
          {problem && (
            <p role="alert" className="field-error">
              {problem.message}
            </p>
          )}
          <div className="form-actions">
            <button type="submit">{t("actions.add")}</button>
          </div>
        </form>
      )}
      {chosen && <ExamPanel key={chosen.id} exam={chosen} />}
    </div>
  );
}
