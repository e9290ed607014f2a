import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { Field } from "../../../components/Field";
import { ApiProblem, toProblem, unwrap } from "../../../lib/problem";
import { pk, useMappings, type Organization } from "./data";
import { FactorCodes } from "./FactorCodes";

/** The organisation's own harmful-factor codes and the dictionary's codes they mean (PRO-4). */
export function Mappings({ org, canEdit }: { org: Organization; canEdit: boolean }) {
  const { t } = useTranslation("profexam");
  const queryClient = useQueryClient();
  const mappings = useMappings(org.id);
  const [form, setForm] = useState({ source_code: "", factor_code: "" });
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: pk.mappings(org.id) });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    try {
      unwrap(
        await api.POST("/api/profexam/organizations/{organization_id}/factor-mappings", {
          params: { path: { organization_id: org.id } },
          body: form,
        }),
      );
      setForm({ source_code: "", factor_code: "" });
      await refresh();
    } catch (error) {
      setProblem(toProblem(error));
    }
  }
  async function remove(id: string) {
    try {
      unwrap(
        await api.DELETE("/api/profexam/organizations/{organization_id}/factor-mappings/{mapping_id}", {
          params: { path: { organization_id: org.id, mapping_id: id } },
        }),
      );
      await refresh();
    } catch (error) {
      setProblem(toProblem(error));
    }
  }
  const errors = problem?.fieldErrors() ?? {};
  return (
    <div>
      <table className="list">
        <caption>{t("factors.mappings")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("factors.fileCode")}</th>
            <th scope="col">{t("factors.dictionaryCode")}</th>
            {canEdit && (
              <th scope="col">
                <span className="visually-hidden">{t("actions.delete")}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {(mappings.data?.items ?? []).map((mapping) => (
            <tr key={mapping.id}>
              <td>{mapping.source_code}</td>
              <td>{mapping.factor_code}</td>
              {canEdit && (
                <td>
                  <button type="button" className="danger" onClick={() => void remove(mapping.id)} aria-label={t("factors.deleteMapping", { code: mapping.source_code })}>
                    {t("actions.delete")}
                  </button>
                </td>
              )}
            </tr>
          ))}
          {mappings.data && mappings.data.items.length === 0 && (
            <tr>
              <td colSpan={canEdit ? 3 : 2} className="muted">
                {t("factors.none")}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {canEdit && (
        <form onSubmit={submit} noValidate className="form-grid" aria-label={t("factors.newMapping")}>
          <Field label={t("factors.fileCode")} error={errors.source_code}>
            <input value={form.source_code} onChange={(e) => setForm({ ...form, source_code: e.target.value })} />
          </Field>
          <Field label={t("factors.dictionaryCode")} error={errors.factor_code}>
            <input list="pe-mapping-codes" value={form.factor_code} onChange={(e) => setForm({ ...form, factor_code: e.target.value })} />
          </Field>
          <FactorCodes id="pe-mapping-codes" />
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
    </div>
  );
}
