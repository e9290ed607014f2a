import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { doctorShortName, useDoctors } from "../../api/directories";
import { Dialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import { useClinic } from "../../lib/clinic";
import { ApiProblem, toProblem, unwrap } from "../../lib/problem";
import { clinicDate, clinicTime } from "../../lib/time";
import type { Appointment } from "../appointment/data";
import { type RestoreErrors, type RestoreForm, restoreBody, restoreFieldOf, validateRestore } from "./restore";

/** «Восстановить в другое время»: a doctor, a date and a time; the API checks the slot like a booking. */
export function RestoreDialog({ appointment, onClose, onDone }: { appointment: Appointment; onClose(): void; onDone(): void }) {
  const { t } = useTranslation("trash");
  const { zone, today } = useClinic();
  const doctors = useDoctors();
  const [form, setForm] = useState<RestoreForm>({
    doctorId: appointment.doctor_id,
    date: clinicDate(appointment.start, zone) < today() ? today() : clinicDate(appointment.start, zone),
    time: clinicTime(appointment.start, zone),
  });
  const [errors, setErrors] = useState<RestoreErrors>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [pending, setPending] = useState(false);

  const apiErrors: Partial<Record<keyof RestoreForm, string>> = {};
  for (const [field, message] of Object.entries(problem?.fieldErrors() ?? {})) {
    const own = restoreFieldOf(field);
    if (own) apiErrors[own] ??= message;
  }
  const errorOf = (field: keyof RestoreForm) => (errors[field] ? t(`errors.${errors[field]}`) : apiErrors[field]);
  const set = (field: keyof RestoreForm) => (value: string) => setForm((current) => ({ ...current, [field]: value }));

  async function submit() {
    const found = validateRestore(form, today());
    setErrors(found);
    setProblem(null);
    if (Object.keys(found).length > 0) return;
    setPending(true);
    try {
      unwrap(
        await api.POST("/api/scheduling/appointments/{appointment_id}/restore", {
          params: { path: { appointment_id: appointment.id }, header: { "If-Match": `"${appointment.version}"` } },
          body: restoreBody(form, zone),
        }),
      );
      onDone();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setPending(false);
    }
  }

  const shownElsewhere = problem && Object.keys(apiErrors).length === 0;
  return (
    <Dialog title={t("restoreElsewhereTitle", { patient: appointment.patient_name })} open onClose={onClose}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <div className="form-grid">
          <Field label={t("doctor")} error={errorOf("doctorId")}>
            <select value={form.doctorId} onChange={(event) => set("doctorId")(event.target.value)}>
              <option value="">{t("chooseDoctor")}</option>
              {(doctors.data ?? []).map((doctor) => (
                <option key={doctor.id} value={doctor.id}>
                  {doctorShortName(doctor)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("date")} error={errorOf("date")}>
            <input type="date" value={form.date} min={today()} onChange={(event) => set("date")(event.target.value)} />
          </Field>
          <Field label={t("time")} error={errorOf("time")}>
            <input type="time" step={300} value={form.time} onChange={(event) => set("time")(event.target.value)} />
          </Field>
        </div>
        {shownElsewhere && (
          <p className="form-error" role="alert">
            {problem.message}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t("cancel")}
          </button>
          <button type="submit" disabled={pending}>
            {t("restore")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
