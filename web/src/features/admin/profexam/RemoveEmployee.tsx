import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { Dialog } from "../../../components/Dialog";
import { ApiProblem, unwrap } from "../../../lib/problem";
import { pk, type Employee } from "./data";

/** Taking an employee out of the exam (the card stays in the archive), after a question. */
export function RemoveEmployee({ employee, onClose }: { employee: Employee; onClose(): void }) {
  const { t } = useTranslation("profexam");
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const name = [employee.last_name, employee.first_name, employee.middle_name].filter(Boolean).join(" ");
  async function remove() {
    try {
      unwrap(
        await api.DELETE("/api/profexam/exams/{exam_id}/employees/{employee_id}", {
          params: { path: { exam_id: employee.exam_id, employee_id: employee.id } },
        }),
      );
      await queryClient.invalidateQueries({ queryKey: pk.employees(employee.exam_id) });
      onClose();
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error.message : String(error));
    }
  }
  return (
    <Dialog title={t("employees.removeTitle")} open onClose={onClose}>
      <p>{t("employees.removeQuestion", { name })}</p>
      {problem && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="danger" onClick={() => void remove()}>
          {t("employees.remove")}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          {t("actions.cancel")}
        </button>
      </div>
    </Dialog>
  );
}
