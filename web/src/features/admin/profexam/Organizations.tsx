import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { Field } from "../../../components/Field";
import { ApiProblem, toProblem, unwrap } from "../../../lib/problem";
import { pk, useContracts, usePrices, type Organization } from "./data";
import { formatDate } from "../../../lib/time";

/** «Организации»: adding one (name, ИНН, address, contact). */
export function NewOrganization({ onCreated }: { onCreated(org: Organization): void }) {
  const { t } = useTranslation("profexam");
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: "", inn: "", address: "", contact: "" });
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    try {
      const org = unwrap(
        await api.POST("/api/profexam/organizations", {
          body: { name: form.name, inn: form.inn || null, address: form.address || null, contact: form.contact || null },
        }),
      );
      setForm({ name: "", inn: "", address: "", contact: "" });
      await queryClient.invalidateQueries({ queryKey: pk.organizations });
      onCreated(org);
    } catch (error) {
      setProblem(toProblem(error));
    }
  }
  const errors = problem?.fieldErrors() ?? {};
  return (
    <form onSubmit={submit} noValidate aria-labelledby="pe-org-new">
      <h3 id="pe-org-new">{t("organizations.new")}</h3>
      {(["name", "inn", "address", "contact"] as const).map((name) => (
        <Field key={name} label={t(`organizations.${name}`)} error={errors[name]}>
          <input value={form[name]} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
        </Field>
      ))}
      {problem && !Object.keys(errors).length && (
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

/** An organisation's contracts («Договоры») with the price list of the chosen one (PRO-7). */
export function Contracts({ org, canWrite }: { org: Organization; canWrite: boolean }) {
  const { t } = useTranslation("profexam");
  const queryClient = useQueryClient();
  const contracts = useContracts(org.id);
  const [chosen, setChosen] = useState<string | null>(null);
  const [form, setForm] = useState({ number: "", valid_from: "", valid_to: "" });
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    try {
      unwrap(
        await api.POST("/api/profexam/organizations/{organization_id}/contracts", {
          params: { path: { organization_id: org.id } },
          body: form,
        }),
      );
      setForm({ number: "", valid_from: "", valid_to: "" });
      await queryClient.invalidateQueries({ queryKey: pk.contracts(org.id) });
    } catch (error) {
      setProblem(toProblem(error));
    }
  }
  const errors = problem?.fieldErrors() ?? {};
  return (
    <div>
      <table className="list">
        <caption>{t("contracts.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("contracts.number")}</th>
            <th scope="col">{t("contracts.validFrom")}</th>
            <th scope="col">{t("contracts.validTo")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("contracts.prices")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(contracts.data?.items ?? []).map((contract) => (
            <tr key={contract.id}>
              <td>{contract.number}</td>
              <td>{formatDate(contract.valid_from)}</td>
              <td>{formatDate(contract.valid_to)}</td>
              <td>
                <button
                  type="button"
                  className="secondary"
                  aria-pressed={chosen === contract.id}
                  onClick={() => setChosen(chosen === contract.id ? null : contract.id)}
                >
                  {t("contracts.pricesOf", { number: contract.number })}
                </button>
              </td>
            </tr>
          ))}
          {contracts.data && contracts.data.items.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {t("contracts.none")}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {canWrite && (
        <form onSubmit={submit} noValidate aria-labelledby="pe-contract-new" className="form-grid">
          <h3 id="pe-contract-new">{t("contracts.new")}</h3>
          <Field label={t("contracts.number")} error={errors.number}>
            <input value={form.number} onChange={(e) => setForm({ ...form, number: e.target.value })} />
          </Field>
          <Field label={t("contracts.validFrom")} error={errors.valid_from}>
            <input type="date" value={form.valid_from} onChange={(e) => setForm({ ...form, valid_from: e.target.value })} />
          </Field>
          <Field label={t("contracts.validTo")} error={errors.valid_to}>
            <input type="date" value={form.valid_to} onChange={(e) => setForm({ ...form, valid_to: e.target.value })} />
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
      {chosen && <PriceList contractId={chosen} canWrite={canWrite} />}
    </div>
  );
}

/** «Прайс-лист» of a contract: group, service, «стоимость услуги по договору с организацией». */
function PriceList({ contractId, canWrite }: { contractId: string; canWrite: boolean }) {
  const { t } = useTranslation("profexam");
  const queryClient = useQueryClient();
  const prices = usePrices(contractId);
  const [form, setForm] = useState({ code: "", name: "", group: "", price: "" });
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    try {
      unwrap(
        await api.POST("/api/profexam/contracts/{contract_id}/prices", {
          params: { path: { contract_id: contractId } },
          body: { code: form.code, name: form.name, group: form.group || null, price: form.price },
        }),
      );
      setForm({ code: "", name: "", group: "", price: "" });
      await queryClient.invalidateQueries({ queryKey: pk.prices(contractId) });
    } catch (error) {
      setProblem(toProblem(error));
    }
  }
  const errors = problem?.fieldErrors() ?? {};
  return (
    <section aria-labelledby="pe-prices-title">
      <h3 id="pe-prices-title">{t("prices.title")}</h3>
      <table className="list">
        <thead>
          <tr>
            <th scope="col">{t("prices.group")}</th>
            <th scope="col">{t("prices.code")}</th>
            <th scope="col">{t("prices.name")}</th>
            <th scope="col">{t("prices.price")}</th>
          </tr>
        </thead>
        <tbody>
          {(prices.data?.items ?? []).map((price) => (
            <tr key={price.id}>
              <td>{price.group ?? ""}</td>
              <td>{price.code}</td>
              <td>{price.name}</td>
              <td>{price.price}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {canWrite && (
        <form onSubmit={submit} noValidate className="form-grid" aria-label={t("prices.new")}>
          {(["group", "code", "name", "price"] as const).map((name) => (
            <Field key={name} label={t(`prices.${name}`)} error={errors[name]}>
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
      )}
    </section>
  );
}
