import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useUser } from "../../../auth/AuthProvider";
import { useNotice } from "../../../components/Notice";
import { formatDate } from "../../../lib/time";
import { ApiProblem } from "../../../lib/problem";
import { Calculations } from "./Calculations";
import { useEmployees, type Employee, type Exam } from "./data";
import { EmployeeDialog } from "./EmployeeDialog";
import { downloadFile } from "./files";
import { ImportDialog } from "./ImportDialog";
import { RemoveEmployee } from "./RemoveEmployee";

type Open = "none" | "new" | "card" | "import";

/** One exam: the toolbar of the source («добавление», из карты, «Импорт из Excel», экспорт), its employees, its calculations. */
export function ExamPanel({ exam }: { exam: Exam }) {
  const { t } = useTranslation("profexam");
  const user = useUser();
  const notice = useNotice();
  const employees = useEmployees(exam.id);
  const [open, setOpen] = useState<Open>("none");
  const [removing, setRemoving] = useState<Employee | null>(null);
  const canWrite = user.can("profexam.write");

  async function download(url: string, name: string) {
    try {
      await downloadFile(url, name);
    } catch (error) {
      notice(error instanceof ApiProblem ? error.message : String(error), "error");
    }
  }

  return (
    <section aria-labelledby="pe-exam-title" className="panel">
      <h2 id="pe-exam-title">
        {exam.name} <span className="muted">{formatDate(exam.period_from)} — {formatDate(exam.period_to)}</span>
      </h2>
      <div className="toolbar" role="toolbar" aria-label={t("employees.toolbar")}>
        {canWrite && (
          <>
            <button type="button" onClick={() => setOpen("new")}>
              {t("employees.add")}
            </button>
            <button type="button" className="secondary" onClick={() => setOpen("card")}>
              {t("employees.fromCard")}
            </button>
          </>
        )}
        {user.can("profexam.import") && (
          <button type="button" className="secondary" onClick={() => setOpen("import")}>
            {t("import.open")}
          </button>
        )}
        <button
          type="button"
          className="secondary"
          onClick={() => void download(`/api/profexam/exams/${exam.id}/employees/export.xlsx`, "employees.xlsx")}
        >
          {t("employees.export")}
        </button>
        <button type="button" className="secondary" onClick={() => void download("/api/profexam/import-template.xlsx", "template.xlsx")}>
          {t("employees.template")}
        </button>
      </div>
      <table className="list">
        <caption>{t("employees.title", { count: employees.data?.total ?? 0 })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("fields.card_number")}</th>
            <th scope="col">{t("fields.full_name")}</th>
            <th scope="col">{t("fields.birth_date")}</th>
            <th scope="col">{t("fields.position")}</th>
            <th scope="col">{t("fields.department")}</th>
            <th scope="col">{t("fields.exam_type")}</th>
            <th scope="col">{t("fields.working_conditions")}</th>
            <th scope="col">{t("fields.harmful_factors")}</th>
            {canWrite && (
              <th scope="col">
                <span className="visually-hidden">{t("employees.remove")}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {(employees.data?.items ?? []).map((employee) => (
            <tr key={employee.id}>
              <td>{employee.card_number ?? ""}</td>
              <td>{[employee.last_name, employee.first_name, employee.middle_name].filter(Boolean).join(" ")}</td>
              <td>{employee.birth_date ? formatDate(employee.birth_date) : ""}</td>
              <td>{employee.position ?? ""}</td>
              <td>{employee.department ?? ""}</td>
              <td>{t(`examType.${employee.exam_type}`)}</td>
              <td>{employee.working_conditions ? t("employees.conditionClass", { value: employee.working_conditions }) : ""}</td>
              <td>{employee.harmful_factor_codes.join("; ")}</td>
              {canWrite && (
                <td>
                  <button
                    type="button"
                    className="secondary"
                    aria-label={t("employees.removeNamed", { name: `${employee.last_name} ${employee.first_name}` })}
                    onClick={() => setRemoving(employee)}
                  >
                    {t("employees.remove")}
                  </button>
                </td>
              )}
            </tr>
          ))}
          {employees.data && employees.data.items.length === 0 && (
            <tr>
              <td colSpan={canWrite ? 9 : 8} className="muted">
                {t("employees.none")}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <Calculations exam={exam} />
      {(open === "new" || open === "card") && <EmployeeDialog exam={exam} fromCard={open === "card"} onClose={() => setOpen("none")} />}
      {removing && <RemoveEmployee employee={removing} onClose={() => setRemoving(null)} />}
      {open === "import" && <ImportDialog exam={exam} onClose={() => setOpen("none")} />}
    </section>
  );
}
