/**
 * The «Запись на приём» form (SCH-4): its state, the rules checked before sending (the API checks
 * them again and more: the slot, the working hours), and the body it sends.
 */
import type { Schemas } from "../../api/client";
import { zonedIso, type IsoDate } from "../../lib/time";

export interface ChosenCard {
  id: string;
  label: string;
}

export interface BookingForm {
  doctorId: string;
  date: IsoDate;
  time: string; // "HH:MM"
  durationMinutes: string;
  card: ChosenCard | null;
  lastName: string;
  firstName: string;
  middleName: string;
  phone: string;
  birthDate: IsoDate;
  serviceIds: string[];
  kindId: string;
  recordTypeId: string;
  infoSourceId: string;
  note: string;
}

export function emptyForm(initial: Partial<BookingForm> = {}): BookingForm {
  return {
    doctorId: "",
    date: "",
    time: "",
    durationMinutes: "",
    card: null,
    lastName: "",
    firstName: "",
    middleName: "",
    phone: "",
    birthDate: "",
    serviceIds: [],
    kindId: "",
    recordTypeId: "",
    infoSourceId: "",
    note: "",
    ...initial,
  };
}

/** Errors by the API's field names (so the API's own field errors land in the same places), as text keys. */
export type FormErrors = Partial<Record<FormField, string>>;
export type FormField =
  | "doctor_id"
  | "date"
  | "start"
  | "duration_minutes"
  | "patient_id"
  | "last_name"
  | "first_name"
  | "mobile_phone"
  | "birth_date";

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PHONE = /^\+?[\d\s()-]+$/;

/** What is wrong before sending: text keys of the "validation" group, by field. */
export function validateBooking(form: BookingForm, options: { today: IsoDate; needsPatient: boolean }): FormErrors {
  const errors: FormErrors = {};
  if (!form.doctorId) errors.doctor_id = "doctorRequired";
  if (!DATE.test(form.date)) errors.date = "dateRequired";
  if (!TIME.test(form.time)) errors.start = "timeRequired";
  if (form.durationMinutes.trim()) {
    const minutes = Number(form.durationMinutes);
    if (!Number.isInteger(minutes) || minutes < 5 || minutes > 720) errors.duration_minutes = "duration";
  }
  if (options.needsPatient && !form.card) {
    if (!form.lastName.trim()) errors.last_name = "lastNameRequired";
    if (!form.firstName.trim()) errors.first_name = "firstNameRequired";
    const phone = form.phone.trim();
    if (phone && (!PHONE.test(phone) || phone.replace(/\D/g, "").length < 10)) errors.mobile_phone = "phone";
    if (form.birthDate && (!DATE.test(form.birthDate) || form.birthDate > options.today)) errors.birth_date = "birthDate";
  }
  return errors;
}

/** The first field with an error, in the form's order (focus goes there). */
export const FIELD_ORDER: FormField[] = [
  "doctor_id",
  "date",
  "start",
  "duration_minutes",
  "patient_id",
  "last_name",
  "first_name",
  "mobile_phone",
  "birth_date",
];

function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed ? trimmed : undefined;
}

function duration(form: BookingForm): number | undefined {
  return form.durationMinutes.trim() ? Number(form.durationMinutes) : undefined;
}

/** POST /api/scheduling/appointments. */
export function bookingBody(form: BookingForm, zone: string): Schemas["SchedulingAppointmentCreate"] {
  const body: Schemas["SchedulingAppointmentCreate"] = {
    doctor_id: form.doctorId,
    start: zonedIso(form.date, form.time, zone),
    duration_minutes: duration(form),
    services: form.serviceIds.map((service_id) => ({ service_id, quantity: 1 })),
    note: optional(form.note),
    kind_id: optional(form.kindId),
    record_type_id: optional(form.recordTypeId),
    info_source_id: optional(form.infoSourceId),
    overbook: false,
  };
  if (form.card) body.patient_id = form.card.id;
  else
    body.patient = {
      last_name: form.lastName.trim(),
      first_name: form.firstName.trim(),
      middle_name: optional(form.middleName),
      mobile_phone: optional(form.phone),
      birth_date: optional(form.birthDate),
    };
  return body;
}

/** POST /api/scheduling/waitlist/{entry_id}/book: the entry brings the patient and the services. */
export function waitlistBookBody(form: BookingForm, zone: string): Schemas["SchedulingWaitlistBook"] {
  return {
    start: zonedIso(form.date, form.time, zone),
    doctor_id: form.doctorId,
    duration_minutes: duration(form),
    overbook: false,
  };
}

/** The default length: the chosen services' minutes added up, else the grid step. */
export function defaultDuration(serviceMinutes: (number | null)[], gridStep: number): number {
  const total = serviceMinutes.reduce<number>((sum, minutes) => sum + (minutes ?? 0), 0);
  return total > 0 ? total : gridStep;
}
