import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { useUser } from "../../../auth/AuthProvider";
import { Field } from "../../../components/Field";
import { ApiProblem, toProblem, unwrap } from "../../../lib/problem";
import { useCalculations, pk, type Exam } from "./data";
import { splitCodes } from "./EmployeeDialog";

interface Line {
  position: string;
  department: string;
  headcount: string;
  factors: string;
  price: string;
  service_code: string;
}
const emptyLine = (): Line => ({ position: "", department: "", headcount: "1", factors: "", price: "", service_code: "" });

/** «Калькуляция» (PRO-5): the exam's plans by position, with their totals; employees can be imported on them. */
export function Calculations({ exam }: { exam: Exam }) {
  const { t } = useTranslation("profexam");
  const user = useUser();
  const queryClient = useQueryClient();
  const calculations = useCalculations(exam.id);
  const [name, setName] = useState("");
  const [lines, setLines] = useState<Line[]>([emptyLine()]);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    try {
      unwrap(
        await api.POST("/api/profexam/exams/{exam_id}/calculations", {
          params: { path: { exam_id: exam.id } },
          body: {
            name,
            positions: lines.map((line) => ({
              position: line.position,
              department: line.department || null,
              headcount: Number(line.headcount),
              harmful_factor_codes: splitCodes(line.factors),
              price: line.price || null,
              service_code: line.service_code || null,
            })),
          },
        }),
      );
      setName("");
      setLines([emptyLine()]);
      await queryClient.invalidateQueries({ queryKey: pk.calculations(exam.id) });
    } catch (error) {
      setProblem(toProblem(error));
    }
  }

  const errors = problem?.fieldErrors() ?? {};
  const setLine = (index: number, patch: Partial<Line>) =>
    setLines(lines.map((line, i) => (i === index ? { ...line, ...patch } : line)));
  return (
    <section aria-labelledby="pe-calc-title">
      <h3 id="pe-calc-title">{t("calculations.title")}</h3>
      <table className="list">
        <thead>
          <tr>
            <th scope="col">{t("calculations.name")}</th>
            <th scope="col">{t("calculations.total")}</th>
          </tr>
        </thead>
        <tbody>
          {(calculations.data?.items ?? []).map((calculation) => (
            <tr key={calculation.id}>
              <td>{calculation.name}</td>
              <td>{calculation.total_price}</td>
            </tr>
          ))}
          {calculations.data && calculations.data.items.length === 0 && (
            <tr>
              <td colSpan={2} className="muted">
                {t("calculations.none")}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {user.can("profexam.write") && (
        <form onSubmit={submit} noValidate aria-labelledby="pe-calc-new">
          <h4 id="pe-calc-new">{t("calculations.new")}</h4>
          <Field label={t("calculations.name")} error={errors.name}>
            <input value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          {lines.map((line, index) => (
            <fieldset key={index} className="form-grid">
              <legend>{t("calculations.line", { number: index + 1 })}</legend>
              <Field label={t("fields.position")} error={errors[`positions.${index}.position`]}>
                <input value={line.position} onChange={(e) => setLine(index, { position: e.target.value })} />
              </Field>
              <Field label={t("fields.department")}>
                <input value={line.department} onChange={(e) => setLine(index, { department: e.target.value })} />
              </Field>
              <Field label={t("calculations.headcount")} error={errors[`positions.${index}.headcount`]}>
                <input type="number" min={1} value={line.headcount} onChange={(e) => setLine(index, { headcount: e.target.value })} />
              </Field>
              <Field label={t("fields.harmful_factors")} error={errors[`positions.${index}.harmful_factor_codes`]}>
                <input value={line.factors} onChange={(e) => setLine(index, { factors: e.target.value })} />
              </Field>
              <Field label={t("calculations.price")} error={errors[`positions.${index}.price`]}>
                <input inputMode="decimal" value={line.price} onChange={(e) => setLine(index, { price: e.target.value })} />
              </Field>
              <Field label={t("calculations.serviceCode")}>
                <input value={line.service_code} onChange={(e) => setLine(index, { service_code: e.target.value })} />
              </Field>
            </fieldset>
          ))}
          {problem && (
            <p role="alert" className="field-error">
              {problem.message}
            </p>
          )}
          <div className="form-actions">
            <button type="button" className="secondary" onClick={() => setLines([...lines, emptyLine()])}>
              {t("calculations.addLine")}
            </button>
            <button type="submit">{t("actions.save")}</button>
          </div>
        </form>
      )}
    </section>
  );
}
