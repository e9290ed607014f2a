import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas } from "../../api/client";
import {
  doctorShortName,
  useAppointmentKinds,
  useDoctors,
  useInfoSources,
  useRecordTypes,
  useServices,
} from "../../api/directories";
import { keys } from "../../api/keys";
import { Dialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import { useUser } from "../../auth/AuthProvider";
import { ApiProblem, problemText, unwrap } from "../../lib/problem";
import { clinicTime, formatDate } from "../../lib/time";
import { useClinic } from "../../lib/clinic";
import type { WaitlistEntry } from "../waitlist/WaitlistPanel";
import {
  bookingBody,
  defaultDuration,
  emptyForm,
  FIELD_ORDER,
  validateBooking,
  waitlistBookBody,
  type BookingForm,
  type FormErrors,
  type FormField,
} from "./bookingForm";
import { PatientCombobox } from "./PatientCombobox";

type Appointment = Schemas["SchedulingAppointmentRead"];

interface BookingDialogProps {
  /** Doctor, date and time of the slot clicked (or of the link followed); empty for «Новая запись». */
  initial: Partial<BookingForm>;
  /** A waiting-list entry being placed: it brings the patient and the services. */
  entry: WaitlistEntry | null;
  gridStep: number;
  /** Names an appointment of the grid shown ("Иванов И. И., 10:00–10:30"), for a slot-taken refusal. */
  describe(appointmentId: string): string | undefined;
  onClose(): void;
  onBooked(appointment: Appointment): void;
}

type Controls = Partial<Record<FormField, HTMLElement | null>>;

/** «Запись на приём» (SCH-4): a card or a typed-in primary patient into a slot. */
export function BookingDialog({ initial, entry, gridStep, describe, onClose, onBooked }: BookingDialogProps) {
  const { t } = useTranslation("schedule");
  const { zone, today } = useClinic();
  const user = useUser();
  const queries = useQueryClient();
  const doctors = useDoctors();
  const services = useServices();
  const kinds = useAppointmentKinds();
  const recordTypes = useRecordTypes();
  const infoSources = useInfoSources();
  const [form, setForm] = useState<BookingForm>(() =>
    emptyForm({
      durationMinutes: String(entry?.duration_minutes ?? gridStep),
      ...initial,
    }),
  );
  const [durationTouched, setDurationTouched] = useState(Boolean(initial.durationMinutes || entry?.duration_minutes));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<string[]>([]);
  const [sending, setSending] = useState(false);
  const controls = useRef<Controls>({});
  const patientInput = useRef<HTMLInputElement>(null);
  const lastNameInput = useRef<HTMLInputElement>(null);

  // Focus starts in the first field still empty (a clicked slot fills the doctor, date and time).
  useEffect(() => {
    const first = !form.doctorId
      ? controls.current.doctor_id
      : !form.date
        ? controls.current.date
        : !form.time
          ? controls.current.start
          : entry
            ? controls.current.duration_minutes
            : patientInput.current;
    first?.focus();
    // Only on opening.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const serviceList = (services.data ?? []).filter((service) => service.active);
  const set = <K extends keyof BookingForm>(name: K, value: BookingForm[K]) => setForm((current) => ({ ...current, [name]: value }));

  function chooseServices(ids: string[]) {
    setForm((current) => {
      const next = { ...current, serviceIds: ids };
      if (!durationTouched) {
        const minutes = ids.map((id) => serviceList.find((service) => service.id === id)?.duration_minutes ?? null);
        next.durationMinutes = String(defaultDuration(minutes, gridStep));
      }
      return next;
    });
  }

  function focusFirstError(found: Record<string, string>) {
    const field = FIELD_ORDER.find((name) => found[name]);
    if (field === "patient_id") patientInput.current?.focus();
    else if (field === "last_name") lastNameInput.current?.focus();
    else if (field) controls.current[field]?.focus();
  }

  async function explain(problem: ApiProblem): Promise<string[]> {
    const lines = [problem.message];
    const conflicts = Array.isArray(problem.body.conflicts) ? (problem.body.conflicts as string[]) : [];
    for (const id of conflicts.slice(0, 3)) {
      let named = describe(id);
      if (!named) {
        const found = await api.GET("/api/scheduling/appointments/{appointment_id}", { params: { path: { appointment_id: id } } });
        if (found.data) named = `${found.data.patient_name}, ${clinicTime(found.data.start, zone)}–${clinicTime(found.data.end, zone)}`;
      }
      if (named) lines.push(t("dialog.conflictWith", { appointment: named }));
    }
    return lines;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked: FormErrors = validateBooking(form, { today: today(), needsPatient: !entry });
    const found: Record<string, string> = {};
    for (const [field, key] of Object.entries(checked)) found[field] = t(`validation.${key}`);
    setErrors(found);
    setRefusal([]);
    if (Object.keys(found).length) {
      focusFirstError(found);
      return;
    }
    setSending(true);
    try {
      const booked = entry
        ? unwrap(
            await api.POST("/api/scheduling/waitlist/{entry_id}/book", {
              params: { path: { entry_id: entry.id } },
              body: waitlistBookBody(form, zone),
            }),
          )
        : unwrap(await api.POST("/api/scheduling/appointments", { body: bookingBody(form, zone) }));
      void queries.invalidateQueries({ queryKey: keys.calendar });
      if (entry) void queries.invalidateQueries({ queryKey: keys.waitlist });
      onBooked(booked);
    } catch (error) {
      if (!(error instanceof ApiProblem)) {
        setRefusal([problemText(error)]);
        return;
      }
      const byField = error.fieldErrors();
      const shown: Record<string, string> = {};
      for (const field of [...FIELD_ORDER, "middle_name", "services", "note", "end"]) {
        if (byField[field]) shown[field === "end" ? "duration_minutes" : field] = byField[field];
      }
      setErrors(shown);
      // The message goes to the top unless a field already says it.
      const named = Object.values(shown).includes(error.message);
      setRefusal(named ? [] : await explain(error));
      focusFirstError(shown);
    } finally {
      setSending(false);
    }
  }

  const doctorList = (doctors.data ?? []).filter((doctor) => doctor.active);
  return (
    <Dialog title={t("dialog.title")} open onClose={onClose} className="wide booking-dialog">
      <form onSubmit={(event) => void submit(event)} noValidate>
        {refusal.length > 0 && (
          <div role="alert" className="form-error booking-refusal">
            {refusal.map((line) => (
              <p key={line}>{line}</p>
            ))}
          </div>
        )}
        <fieldset className="form-grid">
          <legend className="visually-hidden">{t("dialog.slot")}</legend>
          <Field label={t("dialog.doctor")} error={errors.doctor_id}>
            <select
              ref={(element) => {
                controls.current.doctor_id = element;
              }}
              value={form.doctorId}
              onChange={(event) => set("doctorId", event.target.value)}
            >
              <option value="">{t("dialog.choose")}</option>
              {doctorList.map((doctor) => (
                <option key={doctor.id} value={doctor.id}>
                  {doctor.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("dialog.date")} error={errors.date}>
            <input
              ref={(element) => {
                controls.current.date = element;
              }}
              type="date"
              value={form.date}
              onChange={(event) => set("date", event.target.value)}
            />
          </Field>
          <Field label={t("dialog.time")} error={errors.start}>
            <input
              ref={(element) => {
                controls.current.start = element;
              }}
              type="time"
              step={60 * 5}
              value={form.time}
              onChange={(event) => set("time", event.target.value)}
            />
          </Field>
          <Field label={t("dialog.duration")} error={errors.duration_minutes}>
            <input
              ref={(element) => {
                controls.current.duration_minutes = element;
              }}
              type="number"
              min={5}
              max={720}
              step={5}
              value={form.durationMinutes}
              onChange={(event) => {
                setDurationTouched(true);
                set("durationMinutes", event.target.value);
              }}
            />
          </Field>
        </fieldset>

        {entry ? (
          <p className="booking-entry">
            {t("dialog.fromWaitlist", { name: entry.patient_name })}
            {entry.mobile_phone && <span className="muted"> · {entry.mobile_phone}</span>}
          </p>
        ) : (
          <fieldset className="booking-patient">
            <legend>{t("dialog.patientGroup")}</legend>
            {form.card ? (
              <div className="chosen-card">
                <span>
                  {t("dialog.patient")}: <strong>{form.card.label}</strong>
                </span>
                <button type="button" className="secondary" onClick={() => set("card", null)}>
                  {t("dialog.otherPatient")}
                </button>
              </div>
            ) : (
              <>
                <Field label={t("dialog.patient")} error={errors.patient_id}>
                  <PatientCombobox ref={patientInput} onChoose={(card) => set("card", card)} />
                </Field>
                <p className="muted">{t("dialog.orPrimary")}</p>
                <div className="form-grid">
                  <Field label={t("dialog.lastName")} error={errors.last_name}>
                    <input ref={lastNameInput} value={form.lastName} onChange={(event) => set("lastName", event.target.value)} />
                  </Field>
                  <Field label={t("dialog.firstName")} error={errors.first_name}>
                    <input
                      ref={(element) => {
                        controls.current.first_name = element;
                      }}
                      value={form.firstName}
                      onChange={(event) => set("firstName", event.target.value)}
                    />
                  </Field>
                  <Field label={t("dialog.middleName")} error={errors.middle_name}>
                    <input value={form.middleName} onChange={(event) => set("middleName", event.target.value)} />
                  </Field>
                  <Field label={t("dialog.phone")} error={errors.mobile_phone}>
                    <input
                      ref={(element) => {
                        controls.current.mobile_phone = element;
                      }}
                      type="tel"
                      autoComplete="off"
                      value={form.phone}
                      onChange={(event) => set("phone", event.target.value)}
                    />
                  </Field>
                  <Field label={t("dialog.birthDate")} error={errors.birth_date}>
                    <input
                      ref={(element) => {
                        controls.current.birth_date = element;
                      }}
                      type="date"
                      max={today()}
                      value={form.birthDate}
                      onChange={(event) => set("birthDate", event.target.value)}
                    />
                  </Field>
                </div>
              </>
            )}
          </fieldset>
        )}

        {!entry && (
          <div className="form-grid booking-details">
            <Field label={t("dialog.services")} error={errors.services} className="field services-field">
              <select
                multiple
                size={4}
                value={form.serviceIds}
                onChange={(event) => chooseServices([...event.target.selectedOptions].map((option) => option.value))}
              >
                {serviceList.map((service) => (
                  <option key={service.id} value={service.id}>
                    {service.name}
                    {service.duration_minutes ? ` (${t("dialog.minutes", { count: service.duration_minutes })})` : ""}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t("dialog.kind")}>
              <select value={form.kindId} onChange={(event) => set("kindId", event.target.value)}>
                <option value="">—</option>
                {(kinds.data ?? []).map((kind) => (
                  <option key={kind.id} value={kind.id}>
                    {kind.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t("dialog.recordType")}>
              <select value={form.recordTypeId} onChange={(event) => set("recordTypeId", event.target.value)}>
                <option value="">—</option>
                {(recordTypes.data ?? []).map((type) => (
                  <option key={type.id} value={type.id}>
                    {type.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t("dialog.infoSource")}>
              <select value={form.infoSourceId} onChange={(event) => set("infoSourceId", event.target.value)}>
                <option value="">—</option>
                {(infoSources.data ?? []).map((source) => (
                  <option key={source.id} value={source.id}>
                    {source.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t("dialog.note")} error={errors.note} className="field note-field">
              <textarea rows={2} value={form.note} onChange={(event) => set("note", event.target.value)} />
            </Field>
          </div>
        )}

        <p className="muted booking-summary" aria-live="polite">
          {form.doctorId && form.date && form.time
            ? t("dialog.summary", {
                doctor: doctorShortName(doctorList.find((doctor) => doctor.id === form.doctorId) ?? { last_name: "", first_name: "", middle_name: null }),
                date: formatDate(form.date),
                time: form.time,
              })
            : ""}
        </p>
        <div className="form-actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t("dialog.cancel")}
          </button>
          <button type="submit" disabled={sending || !user.can("scheduling.write")}>
            {t("dialog.submit")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
