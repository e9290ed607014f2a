import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Dialog } from "../../../components/Dialog";
import { Field } from "../../../components/Field";
import { useNotice } from "../../../components/Notice";
import { ApiProblem, toProblem } from "../../../lib/problem";
import { useCalculations, pk, type Exam, type ImportReport } from "./data";
import { postForm } from "./files";
import { FactorMappingStep } from "./FactorMappingStep";
import { Help } from "./Help";
import {
  COLUMN_LETTERS,
  MAPPED_FIELDS,
  REQUIRED_FIELDS,
  defaultMapping,
  duplicateLetters,
  mappingJson,
  type ImportMapping,
} from "./importMapping";

type Mode = "check" | "all" | "accepted";

/**
 * «Импорт из Excel»: the file, the columns it keeps each field in (a letter, as the source's
 * loading window asks), a dry run listing every bad row, then «Импортировать» (all or nothing) or
 * «Импортировать только верные строки». Unknown harmful-factor codes get mapped in between.
 */
export function ImportDialog({ exam, onClose }: { exam: Exam; onClose(): void }) {
  const { t } = useTranslation("profexam");
  const notice = useNotice();
  const queryClient = useQueryClient();
  const calculations = useCalculations(exam.id);
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<ImportMapping>(defaultMapping);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [done, setDone] = useState<ImportReport | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const duplicates = duplicateLetters(mapping);
  const missing = REQUIRED_FIELDS.filter((field) => !mapping.columns[field]);

  function change(next: Partial<ImportMapping>) {
    setMapping((current) => ({ ...current, ...next }));
    setReport(null); // a changed mapping needs a new check
    setDone(null);
  }

  async function run(mode: Mode) {
    if (!file) return;
    setBusy(true);
    setProblem(null);
    const form = new FormData();
    form.append("file", file);
    form.append("mapping", mappingJson(mapping));
    // The check asks with accept_partial so the report says how many good rows would go in.
    const query = mode === "check" ? "dry_run=true&accept_partial=true" : mode === "accepted" ? "accept_partial=true" : "";
    try {
      const { status, body } = await postForm<ImportReport & { id?: string }>(
        `/api/profexam/exams/${exam.id}/imports${query ? `?${query}` : ""}`,
        form,
      );
      if (status === 202) {
        notice(t("import.queued"), "ok");
        onClose();
        return;
      }
      if (mode === "check") setReport(body);
      else {
        setDone(body);
        setReport(body.status === "rejected" ? body : null);
        if (body.status === "imported") {
          notice(t("import.doneNotice", { count: body.imported }), "ok");
          await queryClient.invalidateQueries({ queryKey: pk.employees(exam.id) });
        }
      }
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void run("check");
  }

  const fieldErrors = problem?.fieldErrors() ?? {};
  const canRun = !!file && duplicates.size === 0 && missing.length === 0 && !busy;
  return (
    <Dialog title={t("import.title")} open onClose={onClose} className="wide pe-import">
      <form onSubmit={submit} noValidate>
        <Field label={t("import.file")} error={fieldErrors.file}>
          <input
            type="file"
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setReport(null);
              setDone(null);
            }}
          />
        </Field>
        <fieldset className="pe-mapping">
          <legend>
            {t("import.columns")} <Help start about={t("import.columns")} text={t("import.columnsHelp")} />
          </legend>
          <div className="pe-mapping-grid">
            {MAPPED_FIELDS.map((field) => {
              const letter = mapping.columns[field];
              const error =
                fieldErrors[`mapping.${field}`] ??
                fieldErrors[field] ??
                (letter && duplicates.has(letter) ? t("import.duplicateColumn", { letter }) : undefined) ??
                (!letter && REQUIRED_FIELDS.includes(field) ? t("import.requiredColumn") : undefined);
              return (
                <div key={field} className="pe-mapping-field">
                  <Field label={t(`fields.${field}`)} error={error}>
                    <select
                      value={letter}
                      onChange={(event) => change({ columns: { ...mapping.columns, [field]: event.target.value } })}
                    >
                      <option value="">{t("import.notImported")}</option>
                      {COLUMN_LETTERS.map((l) => (
                        <option key={l} value={l}>
                          {l}
                        </option>
                      ))}
                    </select>
                  </Field>
                  {field === "exam_type" && <Help about={t("fields.exam_type")} text={t("import.examTypeHelp")} />}
                  {field === "working_conditions" && (
                    <Help about={t("fields.working_conditions")} text={t("import.conditionsHelp")} />
                  )}
                </div>
              );
            })}
          </div>
        </fieldset>
        <fieldset className="pe-mapping">
          <legend>{t("import.settings")}</legend>
          <div className="form-grid">
            <Field label={t("import.firstRow")} error={fieldErrors["mapping.first_row"]}>
              <input type="number" min={1} value={mapping.firstRow} onChange={(e) => change({ firstRow: e.target.value })} />
            </Field>
            <Field label={t("import.lastRow")} error={fieldErrors["mapping.last_row"]}>
              <input type="number" min={1} value={mapping.lastRow} onChange={(e) => change({ lastRow: e.target.value })} />
            </Field>
            <Field label={t("import.sheet")} error={fieldErrors["mapping.sheet"]}>
              <input value={mapping.sheet} onChange={(e) => change({ sheet: e.target.value })} />
            </Field>
            <Field label={t("import.calculation")} error={fieldErrors["mapping.calculation_id"]}>
              <select value={mapping.calculationId} onChange={(e) => change({ calculationId: e.target.value })}>
                <option value="">{t("import.noCalculation")}</option>
                {(calculations.data?.items ?? []).map((calculation) => (
                  <option key={calculation.id} value={calculation.id}>
                    {calculation.name}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        </fieldset>
        {problem && (
          <p role="alert" className="field-error">
            {problem.message}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" disabled={!canRun}>
            {t("import.check")}
          </button>
        </div>
      </form>
      {report && <ReportView report={report} />}
      {report && report.unknown_factor_codes.length > 0 && (
        <FactorMappingStep organizationId={exam.organization_id} unknown={report.unknown_factor_codes} onSaved={() => void run("check")} />
      )}
      {report && report.status === "dry_run" && (
        <div className="form-actions">
          <button type="button" disabled={!canRun || report.rejected.length > 0} onClick={() => void run("all")}>
            {t("import.importAll")}
          </button>
          <button type="button" disabled={!canRun || report.imported === 0} onClick={() => void run("accepted")}>
            {t("import.importAccepted")}
          </button>
        </div>
      )}
      {done && done.status === "imported" && (
        <p role="status" className="pe-done">
          {t("import.done", {
            imported: done.imported,
            already: done.already_in_exam,
            created: done.cards_created,
            matched: done.cards_matched,
            rejected: done.rejected.length,
          })}
        </p>
      )}
      {done && done.status === "rejected" && (
        <p role="alert" className="field-error">
          {t("import.rejectedAll")}
        </p>
      )}
    </Dialog>
  );
}

/** The check's report: the counts, and every bad row with its row, column, value and reason. */
function ReportView({ report }: { report: ImportReport }) {
  const { t } = useTranslation("profexam");
  return (
    <section aria-labelledby="pe-report-title" className="pe-report">
      <h3 id="pe-report-title">{report.status === "dry_run" ? t("import.reportTitle") : t("import.rejectedTitle")}</h3>
      <p role="status">
        {t("import.summary", {
          total: report.total_rows,
          good: report.imported,
          bad: report.rejected.length,
          already: report.already_in_exam,
        })}
      </p>
      {report.rejected.length > 0 && (
        <table className="list">
          <caption>{t("import.badRows")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("import.row")}</th>
              <th scope="col">{t("import.column")}</th>
              <th scope="col">{t("import.value")}</th>
              <th scope="col">{t("import.reason")}</th>
            </tr>
          </thead>
          <tbody>
            {report.rejected.map((bad, index) => (
              <tr key={`${bad.row}-${bad.column}-${index}`}>
                <td>{bad.row}</td>
                <td>{bad.column ?? "—"}</td>
                <td>{bad.value ?? ""}</td>
                <td>{bad.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
