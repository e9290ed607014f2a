import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { useDoctors, useServices } from "../../../api/directories";
import { Dialog } from "../../../components/Dialog";
import { Field } from "../../../components/Field";
import { ApiProblem, problemText, unwrap } from "../../../lib/problem";
import type { Link } from "./data";

interface LinkForm {
  doctorId: string;
  serviceId: string;
  mode: Link["mode"];
  showPrice: boolean;
  price: string;
  prepaymentRequired: boolean;
  prepaymentAmount: string;
  discountOnPrepayment: boolean;
  discountPercent: string;
  roundToRubles: boolean;
}

function formOf(link: Link | null): LinkForm {
  return {
    doctorId: link?.doctor_id ?? "",
    serviceId: link?.service_id ?? "",
    mode: link?.mode ?? "clinic",
    showPrice: link?.show_price ?? true,
    price: link?.price ?? "",
    prepaymentRequired: link?.prepayment_required ?? false,
    prepaymentAmount: link?.prepayment_amount ?? "",
    discountOnPrepayment: link?.discount_on_prepayment ?? false,
    discountPercent: link?.discount_percent ?? "",
    roundToRubles: link?.round_to_rubles ?? false,
  };
}

const amount = (text: string) => (text.trim() ? text.trim().replace(",", ".") : null);

function settingsOf(form: LinkForm) {
  return {
    mode: form.mode,
    show_price: form.showPrice,
    price: amount(form.price),
    prepayment_required: form.prepaymentRequired,
    prepayment_amount: amount(form.prepaymentAmount),
    discount_on_prepayment: form.discountOnPrepayment,
    discount_percent: amount(form.discountPercent),
    round_to_rubles: form.roundToRubles,
  };
}

/**
 * One doctor↔service link (the source's «Настройка услуг»): mode, shown price, prepayment, the
 * discount on prepayment and rounding to rubles. The API checks the settings as a whole and names
 * each bad field; its messages are shown under those fields.
 */
export function LinkDialog({ link, onClose, onSaved }: { link: Link | null; onClose(): void; onSaved(): Promise<void> }) {
  const { t } = useTranslation("online");
  const doctors = useDoctors();
  const services = useServices();
  const [form, setForm] = useState(() => formOf(link));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The version the edit is made from: a change by someone else meanwhile answers 412.
  const version = useQuery({
    queryKey: ["online-booking", "link-etag", link?.id],
    enabled: link !== null,
    gcTime: 0,
    queryFn: async () => {
      const result = await api.GET("/api/scheduling/online/links/{link_id}", { params: { path: { link_id: link?.id ?? "" } } });
      unwrap(result);
      return result.response.headers.get("ETag");
    },
  });
  const set = (patch: Partial<LinkForm>) => setForm({ ...form, ...patch });

  async function save() {
    setMessage(null);
    const local: Record<string, string> = {};
    if (!link && !form.doctorId) local.doctor_id = t("errors.required");
    if (!link && !form.serviceId) local.service_id = t("errors.required");
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      if (link) {
        unwrap(
          await api.PATCH("/api/scheduling/online/links/{link_id}", {
            params: { path: { link_id: link.id }, header: version.data ? { "If-Match": version.data } : undefined },
            body: settingsOf(form),
          }),
        );
      } else {
        unwrap(
          await api.POST("/api/scheduling/online/links", {
            body: { ...settingsOf(form), doctor_id: form.doctorId, service_id: form.serviceId },
          }),
        );
      }
      await onSaved();
      onClose();
    } catch (error) {
      if (error instanceof ApiProblem) {
        setErrors(error.fieldErrors());
        if (error.status === 412) setMessage(t("links.stale"));
        else setMessage(problemText(error));
      } else setMessage(problemText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={t(link ? "links.editTitle" : "links.createTitle")} open onClose={onClose} className="wide">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <div className="form-grid">
          <Field label={t("links.doctor")} error={errors.doctor_id}>
            <select value={form.doctorId} disabled={link !== null} onChange={(event) => set({ doctorId: event.target.value })}>
              <option value="">{t("choose")}</option>
              {(doctors.data ?? []).map((doctor) => (
                <option key={doctor.id} value={doctor.id}>
                  {doctor.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("links.service")} error={errors.service_id}>
            <select value={form.serviceId} disabled={link !== null} onChange={(event) => set({ serviceId: event.target.value })}>
              <option value="">{t("choose")}</option>
              {(services.data ?? [])
                .filter((service) => service.active || service.id === form.serviceId)
                .map((service) => (
                  <option key={service.id} value={service.id}>
                    {service.code ? `${service.code} ${service.name}` : service.name}
                  </option>
                ))}
            </select>
          </Field>
          <Field label={t("links.mode")} error={errors.mode}>
            <select value={form.mode} onChange={(event) => set({ mode: event.target.value as Link["mode"] })}>
              <option value="clinic">{t("modes.clinic")}</option>
              <option value="online_consultation">{t("modes.online_consultation")}</option>
            </select>
          </Field>
        </div>
        <div className="link-options">
          <label className="inline">
            <input type="checkbox" checked={form.showPrice} onChange={(event) => set({ showPrice: event.target.checked })} />
            {t("links.showPrice")}
          </label>
          <Field label={t("links.price")} error={errors.price}>
            <input inputMode="decimal" value={form.price} onChange={(event) => set({ price: event.target.value })} />
          </Field>
          <label className="inline">
            <input
              type="checkbox"
              checked={form.prepaymentRequired}
              onChange={(event) => set({ prepaymentRequired: event.target.checked })}
            />
            {t("links.prepaymentRequired")}
          </label>
          <Field label={t("links.prepaymentAmount")} error={errors.prepayment_amount}>
            <input
              inputMode="decimal"
              value={form.prepaymentAmount}
              disabled={!form.prepaymentRequired}
              onChange={(event) => set({ prepaymentAmount: event.target.value })}
            />
          </Field>
          <label className="inline">
            <input
              type="checkbox"
              checked={form.discountOnPrepayment}
              onChange={(event) => set({ discountOnPrepayment: event.target.checked })}
            />
            {t("links.discountOnPrepayment")}
          </label>
          {errors.discount_on_prepayment && <p className="field-error">{errors.discount_on_prepayment}</p>}
          <Field label={t("links.discountPercent")} error={errors.discount_percent}>
            <input
              inputMode="decimal"
              value={form.discountPercent}
              disabled={!form.discountOnPrepayment}
              onChange={(event) => set({ discountPercent: event.target.value })}
            />
          </Field>
          <label className="inline">
            <input type="checkbox" checked={form.roundToRubles} onChange={(event) => set({ roundToRubles: event.target.checked })} />
            {t("links.roundToRubles")}
          </label>
        </div>
        {message && (
          <p role="alert" className="form-error">
            {message}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t("cancel")}
          </button>
          <button type="submit" disabled={busy}>
            {t("save")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
