import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { useUser } from "../../../auth/AuthProvider";
import { Field } from "../../../components/Field";
import { ApiProblem, toProblem, unwrap } from "../../../lib/problem";
import { postForm } from "../profexam/files";
import { lk, useLabs, useTests, type CatalogueReport } from "./data";

/** «Лаборатории» (LAB-2): the external labs, adding one, and loading a lab's test catalogue from CSV. */
export function LabsTab() {
  const { t } = useTranslation("lab");
  const user = useUser();
  const labs = useLabs();
  const canEdit = user.can("lab.directories");
  return (
    <div>
      <table className="list">
        <caption>{t("labs.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("labs.code")}</th>
            <th scope="col">{t("labs.name")}</th>
            <th scope="col">{t("labs.exchangeUrl")}</th>
            <th scope="col">{t("labs.active")}</th>
          </tr>
        </thead>
        <tbody>
          {(labs.data?.items ?? []).map((lab) => (
            <tr key={lab.id}>
              <td>{lab.code}</td>
              <td>{lab.name}</td>
              <td>{lab.exchange_url ?? t("labs.fakeExchange")}</td>
              <td>{lab.active ? t("labs.yes") : t("labs.no")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {canEdit && <NewLab />}
      {canEdit && <CatalogueUpload />}
      <TestList />
    </div>
  );
}

function NewLab() {
  const { t } = useTranslation("lab");
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: "", code: "", exchange_url: "" });
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    try {
      unwrap(
        await api.POST("/api/lab/labs", {
          body: { name: form.name, code: form.code, exchange_url: form.exchange_url || null, active: true },
        }),
      );
      setForm({ name: "", code: "", exchange_url: "" });
      await queryClient.invalidateQueries({ queryKey: lk.labs });
    } catch (error) {
      setProblem(toProblem(error));
    }
  }
  const errors = problem?.fieldErrors() ?? {};
  return (
    <form onSubmit={submit} noValidate className="form-grid" aria-labelledby="lab-new-title">
      <h3 id="lab-new-title">{t("labs.new")}</h3>
      {(["name", "code", "exchange_url"] as const).map((name) => (
        <Field key={name} label={t(`labs.${name === "exchange_url" ? "exchangeUrl" : name}`)} error={errors[name]}>
          <input value={form[name]} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
        </Field>
      ))}
      {problem && (
        <p role="alert" className="field-error">
          {problem.message}
        </p>
      )}
      <div className="form-actions">
        <button type="submit">{t("actions.add")}</button>
      </div>
    </form>
  );
}

/** Loading a lab's catalogue (CSV or XLSX): all or nothing, or the good rows only; every rejected row is listed. */
function CatalogueUpload() {
  const { t } = useTranslation("lab");
  const queryClient = useQueryClient();
  const labs = useLabs();
  const [labId, setLabId] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [partial, setPartial] = useState(false);
  const [report, setReport] = useState<CatalogueReport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const lab = labId || labs.data?.items[0]?.id || "";

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file || !lab) return;
    setProblem(null);
    setReport(null);
    const form = new FormData();
    form.append("file", file);
    try {
      const { body } = await postForm<CatalogueReport>(`/api/lab/labs/${lab}/catalogue${partial ? "?allow_partial=true" : ""}`, form);
      setReport(body);
      await queryClient.invalidateQueries({ queryKey: lk.tests(lab) });
    } catch (error) {
      if (error instanceof ApiProblem && Array.isArray(error.body.rejected)) setReport(error.body as unknown as CatalogueReport);
      setProblem(error instanceof ApiProblem ? error.message : String(error));
    }
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="lab-catalogue-title" className="lab-catalogue">
      <h3 id="lab-catalogue-title">{t("catalogue.title")}</h3>
      <p className="muted">{t("catalogue.hint")}</p>
      <div className="form-grid">
        <Field label={t("orders.lab")}>
          <select value={lab} onChange={(e) => setLabId(e.target.value)}>
            {(labs.data?.items ?? []).map((item) => (
              <option key={item.id} value={item.id}>
                {item.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("catalogue.file")}>
          <input type="file" accept=".csv,.xlsx,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </Field>
      </div>
      <label className="lab-check">
        <input type="checkbox" checked={partial} onChange={(e) => setPartial(e.target.checked)} /> {t("catalogue.partial")}
      </label>
      <div className="form-actions">
        <button type="submit" disabled={!file || !lab}>
          {t("catalogue.load")}
        </button>
      </div>
      {/* With a report the screen's own summary says it (the API's text for it is English only). */}
      {problem && !report && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
      {report && (
        <div>
          <p role={report.applied ? "status" : "alert"} className={report.applied ? undefined : "field-error"}>
            {t(report.applied ? "catalogue.applied" : "catalogue.notApplied", {
              added: report.added,
              updated: report.updated,
              unchanged: report.unchanged,
              rejected: report.rejected.length,
            })}
          </p>
          {report.rejected.length > 0 && (
            <table className="list">
              <caption>{t("catalogue.rejected")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("catalogue.row")}</th>
                  <th scope="col">{t("catalogue.field")}</th>
                  <th scope="col">{t("catalogue.reason")}</th>
                </tr>
              </thead>
              <tbody>
                {report.rejected.map((row, index) => (
                  <tr key={`${row.row}-${row.field}-${index}`}>
                    <td>{row.row}</td>
                    <td>{row.field}</td>
                    <td>{row.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </form>
  );
}

/** The chosen lab's tests («Типы лабораторных исследований»). */
function TestList() {
  const { t } = useTranslation("lab");
  const labs = useLabs();
  const [labId, setLabId] = useState("");
  const lab = labId || labs.data?.items[0]?.id || "";
  const tests = useTests(lab);
  return (
    <section aria-labelledby="lab-tests-title">
      <h3 id="lab-tests-title">{t("tests.title")}</h3>
      <Field label={t("orders.lab")}>
        <select value={lab} onChange={(e) => setLabId(e.target.value)}>
          {(labs.data?.items ?? []).map((item) => (
            <option key={item.id} value={item.id}>
              {item.name}
            </option>
          ))}
        </select>
      </Field>
      <table className="list">
        <thead>
          <tr>
            <th scope="col">{t("tests.code")}</th>
            <th scope="col">{t("tests.name")}</th>
            <th scope="col">{t("tests.studyType")}</th>
            <th scope="col">{t("tests.container")}</th>
            <th scope="col">{t("tests.units")}</th>
            <th scope="col">{t("tests.reference")}</th>
          </tr>
        </thead>
        <tbody>
          {(tests.data?.items ?? []).map((test) => (
            <tr key={test.id}>
              <td>{test.code}</td>
              <td>{test.name}</td>
              <td>{test.study_type ?? ""}</td>
              <td>{test.container_name}</td>
              <td>{test.units ?? ""}</td>
              <td>{test.reference_low != null || test.reference_high != null ? `${test.reference_low ?? ""} – ${test.reference_high ?? ""}` : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
