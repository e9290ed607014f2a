import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useAppointmentKinds, useInfoSources, useRecordTypes } from "../../api/directories";
import { useNotice } from "../../components/Notice";
import { useClinic } from "../../lib/clinic";
import { clinicDate, clinicDateTime, clinicTime, formatDate } from "../../lib/time";
import type { Appointment } from "./data";
import { phoneWithCountryCode, whatsappUrl } from "./rules";

function nameOf(items: { id: string; name: string }[] | undefined, id: string | null): string | null {
  if (!id) return null;
  return items?.find((item) => item.id === id)?.name ?? null;
}

/** What the appointment is: patient, contacts, doctor, time, services, marks, who made it. */
export function Details({ appointment: a }: { appointment: Appointment }) {
  const { t } = useTranslation("appointment");
  const { zone } = useClinic();
  const notice = useNotice();
  const kinds = useAppointmentKinds();
  const sources = useInfoSources();
  const recordTypes = useRecordTypes();
  const phone = a.phone_with_country_code ?? phoneWithCountryCode(a.mobile_phone) ?? a.mobile_phone;
  const whatsapp = a.whatsapp_url ?? whatsappUrl(a.mobile_phone);
  const total = a.services.reduce((sum, line) => sum + Number(line.price) * line.quantity, 0);
  const marks = [
    a.is_primary && t("marks.primary"),
    a.marks.minor && t("marks.minor"),
    a.marks.vip && t("marks.vip"),
    a.processed && t("marks.processed"),
    a.overbooked && t("marks.overbooked"),
  ].filter((mark): mark is string => Boolean(mark));

  async function copyPhone() {
    if (!phone) return;
    try {
      await navigator.clipboard.writeText(phone);
      notice(t("phoneCopied", { phone }), "ok");
    } catch {
      notice(t("copyFailed"), "error");
    }
  }

  return (
    <dl className="appointment-details">
      <dt>{t("patient")}</dt>
      <dd>
        {a.patient_id ? <Link to={`/patients/${a.patient_id}`}>{a.patient_name}</Link> : a.patient_name}
        {a.card_number && <span className="muted"> · {t("cardNumber", { number: a.card_number })}</span>}
        {a.birth_date && <span className="muted"> · {formatDate(a.birth_date)}</span>}
      </dd>
      <dt>{t("phone")}</dt>
      <dd className="appointment-phone">
        {phone ? (
          <>
            <span>{phone}</span>
            <button type="button" className="secondary" onClick={() => void copyPhone()}>
              {t("copyPhone")}
            </button>
            {whatsapp && (
              <a href={whatsapp} target="_blank" rel="noopener noreferrer">
                {t("whatsapp")}
              </a>
            )}
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </dd>
      <dt>{t("doctor")}</dt>
      <dd>{a.doctor_name ?? "—"}</dd>
      <dt>{t("cabinet")}</dt>
      <dd>{a.cabinet_name ?? "—"}</dd>
      <dt>{t("time")}</dt>
      <dd>
        {formatDate(clinicDate(a.start, zone))} {clinicTime(a.start, zone)}–{clinicTime(a.end, zone)}{" "}
        <span className="muted">({t("minutes", { count: a.duration_minutes })})</span>
      </dd>
      <dt>{t("services")}</dt>
      <dd>
        {a.services.length === 0 ? (
          "—"
        ) : (
          <ul className="appointment-services">
            {a.services.map((line) => (
              <li key={line.service_id}>
                {line.name ?? line.code}
                {line.quantity !== 1 && ` × ${line.quantity}`} — {line.price} ₽
              </li>
            ))}
            <li className="appointment-total">{t("total", { sum: total.toFixed(2) })}</li>
          </ul>
        )}
      </dd>
      <dt>{t("kind")}</dt>
      <dd>{nameOf(kinds.data, a.kind_id) ?? "—"}</dd>
      <dt>{t("recordType")}</dt>
      <dd>{nameOf(recordTypes.data, a.record_type_id) ?? a.record_type_code ?? "—"}</dd>
      <dt>{t("infoSource")}</dt>
      <dd>{nameOf(sources.data, a.info_source_id) ?? "—"}</dd>
      <dt>{t("note")}</dt>
      <dd>{a.note || "—"}</dd>
      <dt>{t("marksLabel")}</dt>
      <dd>
        {marks.length === 0
          ? "—"
          : marks.map((mark) => (
              <span key={mark} className="badge appointment-mark">
                {mark}
              </span>
            ))}
      </dd>
      <dt>{t("number")}</dt>
      <dd>{a.number}</dd>
      <dt>{t("created")}</dt>
      <dd>
        {clinicDateTime(a.created_at, zone)} · {a.created_by_username ?? "—"}
      </dd>
    </dl>
  );
}
