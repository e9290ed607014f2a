import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas } from "../../../api/client";
import { ApiProblem, unwrap } from "../../../lib/problem";
import { FactorCodes } from "./FactorCodes";

/**
 * «Распознать вредные факторы»: against each code the file used that the dictionary does not
 * know, the user types the «Код из справочника»; saved as the organisation's mapping, then the
 * file is checked again.
 */
export function FactorMappingStep({
  organizationId,
  unknown,
  onSaved,
}: {
  organizationId: string;
  unknown: Schemas["ProfexamUnknownFactorCode"][];
  onSaved(): void;
}) {
  const { t } = useTranslation("profexam");
  const [codes, setCodes] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function save() {
    setBusy(true);
    const failed: Record<string, string> = {};
    for (const item of unknown) {
      const factor = codes[item.code]?.trim();
      if (!factor) continue;
      try {
        unwrap(
          await api.POST("/api/profexam/organizations/{organization_id}/factor-mappings", {
            params: { path: { organization_id: organizationId } },
            body: { source_code: item.code, factor_code: factor },
          }),
        );
      } catch (error) {
        failed[item.code] = error instanceof ApiProblem ? error.message : String(error);
      }
    }
    setErrors(failed);
    setBusy(false);
    if (Object.keys(failed).length === 0) onSaved();
  }

  return (
    <section aria-labelledby="pe-factors-title" className="pe-report">
      <h3 id="pe-factors-title">{t("factors.recognize")}</h3>
      <table className="list">
        <thead>
          <tr>
            <th scope="col">{t("factors.fileCode")}</th>
            <th scope="col">{t("factors.rows")}</th>
            <th scope="col">{t("factors.dictionaryCode")}</th>
          </tr>
        </thead>
        <tbody>
          {unknown.map((item) => (
            <tr key={item.code}>
              <td>{item.code}</td>
              <td>{item.rows.join(", ")}</td>
              <td>
                <input
                  list="pe-factor-codes"
                  aria-label={t("factors.dictionaryCodeFor", { code: item.code })}
                  value={codes[item.code] ?? ""}
                  aria-invalid={errors[item.code] ? true : undefined}
                  onChange={(event) => setCodes({ ...codes, [item.code]: event.target.value })}
                />
                {errors[item.code] && <p className="field-error">{errors[item.code]}</p>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <FactorCodes id="pe-factor-codes" />
      <div className="form-actions">
        <button type="button" className="secondary" disabled={busy} onClick={() => void save()}>
          {t("factors.saveMappings")}
        </button>
      </div>
    </section>
  );
}
