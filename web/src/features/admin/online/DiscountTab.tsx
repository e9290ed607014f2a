import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { useDoctors, useServices } from "../../../api/directories";
import { Field } from "../../../components/Field";
import { useNotice } from "../../../components/Notice";
import { ApiProblem, problemText, unwrap } from "../../../lib/problem";
import { ONLINE_KEY, useLinks, useOnlineSettings } from "./data";
import { discountedPrice, formatMoney, formatPercent, hundredths, percentProblem, prepaidPrice } from "./pricing";

/**
 * «Общая скидка в %»: one percentage applied to every link's price at once. Before «Установить»
 * the table previews each priced link's price now and with the typed discount, computed as the
 * API computes it (pricing.ts), so nobody sets 50 % meaning 5 % without seeing it.
 */
export function DiscountTab() {
  const { t, i18n } = useTranslation("online");
  const notice = useNotice();
  const queries = useQueryClient();
  const settings = useOnlineSettings();
  const links = useLinks();
  const doctors = useDoctors();
  const services = useServices();
  const [typed, setTyped] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (settings.isError) return <p role="alert">{problemText(settings.error)}</p>;
  if (!settings.data) return <p role="status">{t("loading")}</p>;
  const current = settings.data.settings.general_discount_percent;
  const value = typed ?? current;
  const problem = percentProblem(value);
  const currentPercent = hundredths(current) ?? 0n;
  const newPercent = problem ? null : hundredths(value);
  const changed = newPercent !== null && newPercent !== currentPercent;
  const doctorName = new Map((doctors.data ?? []).map((d) => [d.id, d.name]));
  const serviceName = new Map((services.data ?? []).map((s) => [s.id, s.name]));
  const priced = (links.data ?? []).filter((link) => link.price);
  const money = (kopecks: bigint | null) => formatMoney(kopecks, i18n.language);
  const percent = (hundredthsOf: bigint | null) => formatPercent(hundredthsOf, i18n.language);

  async function apply() {
    if (newPercent === null) return;
    setBusy(true);
    setError(null);
    try {
      unwrap(
        await api.PUT("/api/scheduling/online/settings", {
          params: { header: settings.data?.etag ? { "If-Match": settings.data.etag } : undefined },
          body: { general_discount_percent: value.trim().replace(",", ".") },
        }),
      );
      notice(t("discount.applied", { percent: percent(newPercent) }), "ok");
      setTyped(null);
      await queries.invalidateQueries({ queryKey: ONLINE_KEY });
    } catch (failure) {
      if (failure instanceof ApiProblem && failure.status === 412) {
        setError(t("discount.stale"));
        await queries.invalidateQueries({ queryKey: ONLINE_KEY });
      } else if (failure instanceof ApiProblem) {
        setError(failure.fieldErrors().general_discount_percent ?? problemText(failure));
      } else setError(problemText(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="online-discount-title">
      <h2 id="online-discount-title">{t("discount.title")}</h2>
      <p className="muted">{t("discount.explain", { percent: percent(currentPercent) })}</p>
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          void apply();
        }}
      >
        <Field label={t("discount.percent")} error={problem ? t(`discount.${problem}`) : (error ?? undefined)}>
          <input inputMode="decimal" value={value} onChange={(event) => setTyped(event.target.value)} />
        </Field>
        <button type="submit" disabled={busy || !changed}>
          {t("discount.apply")}
        </button>
        {changed && (
          <button type="button" className="secondary" onClick={() => setTyped(null)}>
            {t("cancel")}
          </button>
        )}
      </form>
      {!links.data ? (
        <p role="status">{t("loading")}</p>
      ) : priced.length === 0 ? (
        <p className="muted">{t("discount.noPrices")}</p>
      ) : (
        <table className="list">
          <caption>
            {changed ? t("discount.preview", { from: percent(currentPercent), to: percent(newPercent) }) : t("discount.now", { percent: percent(currentPercent) })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t("links.doctor")}</th>
              <th scope="col">{t("links.service")}</th>
              <th scope="col">{t("discount.fullPrice")}</th>
              <th scope="col">{t("discount.priceNow")}</th>
              {changed && <th scope="col">{t("discount.priceNew")}</th>}
              <th scope="col">{t("discount.prepaidNow")}</th>
              {changed && <th scope="col">{t("discount.prepaidNew")}</th>}
            </tr>
          </thead>
          <tbody>
            {priced.map((link) => {
              const before = discountedPrice(link, currentPercent);
              const after = newPercent === null ? null : discountedPrice(link, newPercent);
              return (
                <tr key={link.id}>
                  <td>{doctorName.get(link.doctor_id) ?? t("unknown")}</td>
                  <td>{serviceName.get(link.service_id) ?? t("unknown")}</td>
                  <td>{money(hundredths(link.price))}</td>
                  <td>{money(before)}</td>
                  {changed && (
                    <td className={after !== before ? "changed" : undefined}>
                      <span aria-hidden="true">→ </span>
                      {money(after)}
                    </td>
                  )}
                  <td>{money(prepaidPrice(link, currentPercent))}</td>
                  {changed && (
                    <td>
                      <span aria-hidden="true">→ </span>
                      {money(newPercent === null ? null : prepaidPrice(link, newPercent))}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
