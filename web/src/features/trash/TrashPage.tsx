import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { doctorShortName, useDoctors } from "../../api/directories";
import { keys } from "../../api/keys";
import { useUser } from "../../auth/AuthProvider";
import { Field } from "../../components/Field";
import { useNotice } from "../../components/Notice";
import { useClinic } from "../../lib/clinic";
import { problemText, unwrap } from "../../lib/problem";
import { clinicDateTime } from "../../lib/time";
import AppointmentPanel from "../appointment/AppointmentPanel";
import type { Appointment } from "../appointment/data";
import { RestoreDialog } from "./RestoreDialog";
import "./trash.css";

interface Filters {
  q: string;
  phone: string;
  doctorId: string;
  dateFrom: string;
  dateTo: string;
}

const NO_FILTERS: Filters = { q: "", phone: "", doctorId: "", dateFrom: "", dateTo: "" };
const PAGE = 100;

/** «Корзина» (SCH-6): deleted appointments, found by patient, phone, doctor and period, and restored. */
export default function TrashPage() {
  const { t } = useTranslation("trash");
  const { zone } = useClinic();
  const user = useUser();
  const notice = useNotice();
  const queries = useQueryClient();
  const doctors = useDoctors();
  const [typed, setTyped] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [opened, setOpened] = useState<string | null>(null);
  const [elsewhere, setElsewhere] = useState<Appointment | null>(null);
  const [refusal, setRefusal] = useState<{ id: string; message: string } | null>(null);
  const [restoring, setRestoring] = useState<string | null>(null);
  const canRestore = user.can("scheduling.delete");

  const found = useQuery({
    queryKey: [...keys.trash, filters],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/scheduling/appointments", {
          params: {
            query: {
              deleted: true,
              q: filters.q.trim() || null,
              phone: filters.phone.trim() || null,
              doctor_id: filters.doctorId ? [filters.doctorId] : undefined,
              date_from: filters.dateFrom || null,
              date_to: filters.dateTo || null,
              limit: PAGE,
            },
          },
        }),
      ),
  });

  async function restored(appointment: Appointment) {
    notice(t("restored", { patient: appointment.patient_name }), "ok");
    await Promise.all(
      [keys.trash, keys.calendar, keys.appointments, keys.appointment(appointment.id)].map((queryKey) =>
        queries.invalidateQueries({ queryKey }),
      ),
    );
  }

  async function restoreToSameSlot(appointment: Appointment) {
    setRestoring(appointment.id);
    setRefusal(null);
    try {
      unwrap(
        await api.POST("/api/scheduling/appointments/{appointment_id}/restore", {
          params: { path: { appointment_id: appointment.id }, header: { "If-Match": `"${appointment.version}"` } },
        }),
      );
      await restored(appointment);
    } catch (error) {
      setRefusal({ id: appointment.id, message: problemText(error) });
    } finally {
      setRestoring(null);
    }
  }

  const set = (field: keyof Filters) => (value: string) => setTyped((current) => ({ ...current, [field]: value }));
  const items = found.data?.items ?? [];

  return (
    <section className="trash-page" aria-labelledby="trash-title">
      <h1 id="trash-title">{t("title")}</h1>
      <form
        className="toolbar panel"
        role="search"
        aria-label={t("searchLabel")}
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(typed);
        }}
      >
        <Field label={t("patient")}>
          <input value={typed.q} onChange={(event) => set("q")(event.target.value)} />
        </Field>
        <Field label={t("phone")}>
          <input type="tel" value={typed.phone} onChange={(event) => set("phone")(event.target.value)} />
        </Field>
        <Field label={t("doctor")}>
          <select value={typed.doctorId} onChange={(event) => set("doctorId")(event.target.value)}>
            <option value="">{t("allDoctors")}</option>
            {(doctors.data ?? []).map((doctor) => (
              <option key={doctor.id} value={doctor.id}>
                {doctorShortName(doctor)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("dateFrom")}>
          <input type="date" value={typed.dateFrom} onChange={(event) => set("dateFrom")(event.target.value)} />
        </Field>
        <Field label={t("dateTo")}>
          <input type="date" value={typed.dateTo} onChange={(event) => set("dateTo")(event.target.value)} />
        </Field>
        <button type="submit">{t("search")}</button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setTyped(NO_FILTERS);
            setFilters(NO_FILTERS);
          }}
        >
          {t("reset")}
        </button>
      </form>

      {found.isPending && <p role="status">{t("loading")}</p>}
      {found.isError && <p role="alert">{problemText(found.error)}</p>}
      {found.data && (
        <p className="muted" role="status">
          {found.data.total > items.length
            ? t("shownOf", { shown: items.length, total: found.data.total })
            : t("found", { count: found.data.total })}
        </p>
      )}
      {items.length > 0 && (
        <table className="list trash-list" aria-label={t("title")}>
          <thead>
            <tr>
              <th scope="col">{t("when")}</th>
              <th scope="col">{t("patient")}</th>
              <th scope="col">{t("phone")}</th>
              <th scope="col">{t("doctor")}</th>
              <th scope="col">{t("reason")}</th>
              <th scope="col">{t("deletedBy")}</th>
              <th scope="col">{t("deletedAt")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((appointment) => (
              <TrashRow
                key={appointment.id}
                appointment={appointment}
                zone={zone}
                canRestore={canRestore}
                busy={restoring === appointment.id}
                refusal={refusal?.id === appointment.id ? refusal.message : null}
                onOpen={() => setOpened(appointment.id)}
                onRestore={() => void restoreToSameSlot(appointment)}
                onRestoreElsewhere={() => {
                  setRefusal(null);
                  setElsewhere(appointment);
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      {opened && <AppointmentPanel appointmentId={opened} onClose={() => setOpened(null)} />}
      {elsewhere && (
        <RestoreDialog
          appointment={elsewhere}
          onClose={() => setElsewhere(null)}
          onDone={() => {
            const appointment = elsewhere;
            setElsewhere(null);
            void restored(appointment);
          }}
        />
      )}
    </section>
  );
}

interface RowProps {
  appointment: Appointment;
  zone: string;
  canRestore: boolean;
  busy: boolean;
  refusal: string | null;
  onOpen(): void;
  onRestore(): void;
  onRestoreElsewhere(): void;
}

function TrashRow({ appointment: a, zone, canRestore, busy, refusal, onOpen, onRestore, onRestoreElsewhere }: RowProps) {
  const { t } = useTranslation("trash");
  return (
    <>
      <tr>
        <td>{clinicDateTime(a.start, zone)}</td>
        <td>
          <button type="button" className="link-button" onClick={onOpen}>
            {a.patient_name}
          </button>
        </td>
        <td>{a.phone_with_country_code ?? a.mobile_phone ?? "—"}</td>
        <td>{a.doctor_name ?? "—"}</td>
        <td>
          {a.deletion_reason ?? <span className="muted">{t("noReason")}</span>}
          {a.deletion_comment && <div className="muted">«{a.deletion_comment}»</div>}
        </td>
        <td>{a.deleted_by_username ?? "—"}</td>
        <td>{a.deleted_at ? clinicDateTime(a.deleted_at, zone) : "—"}</td>
        <td className="trash-actions">
          {canRestore && (
            <>
              <button type="button" disabled={busy} onClick={onRestore}>
                {t("restore")}
              </button>
              <button type="button" className="secondary" onClick={onRestoreElsewhere}>
                {t("restoreElsewhere")}
              </button>
            </>
          )}
        </td>
      </tr>
      {refusal && (
        <tr>
          <td colSpan={8}>
            <p className="form-error" role="alert">
              {t("refused", { patient: a.patient_name, message: refusal })}
            </p>
          </td>
        </tr>
      )}
    </>
  );
}
