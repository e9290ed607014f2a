/** The waiting list's rules (SCH-7), apart from React: which entries the panel lists, and the new entry. */
import type { Schemas } from "../../api/client";

type Entry = Schemas["SchedulingWaitlistRead"];
type Create = Schemas["SchedulingWaitlistCreate"];

/**
 * The entries for the schedule shown: those of its date and the undated ones (the API's listing),
 * of the doctors shown or naming no doctor (a specialization only); all doctors' when asked.
 */
export function visibleEntries(entries: Entry[], doctorIds: string[], allDoctors: boolean): { dated: Entry[]; undated: Entry[] } {
  const shown = new Set(doctorIds);
  const kept = entries.filter(
    (entry) => allDoctors || shown.size === 0 || entry.doctor_id === null || shown.has(entry.doctor_id),
  );
  return { dated: kept.filter((entry) => entry.wished_date), undated: kept.filter((entry) => !entry.wished_date) };
}

/** "09:00–12:00", "с 09:00", "до 12:00" or "" — the wished hours. */
export function timeWindow(from: string | null, to: string | null, words: { from: string; to: string }): string {
  const short = (time: string | null) => (time ? time.slice(0, 5) : "");
  if (from && to) return `${short(from)}–${short(to)}`;
  if (from) return `${words.from} ${short(from)}`;
  if (to) return `${words.to} ${short(to)}`;
  return "";
}

export interface EntryForm {
  mode: "typed" | "card";
  lastName: string;
  firstName: string;
  middleName: string;
  phone: string;
  birthDate: string;
  cardId: string;
  doctorId: string;
  specializationId: string;
  date: string;
  timeFrom: string;
  timeTo: string;
  note: string;
}

export const EMPTY_ENTRY: EntryForm = {
  mode: "typed",
  lastName: "",
  firstName: "",
  middleName: "",
  phone: "",
  birthDate: "",
  cardId: "",
  doctorId: "",
  specializationId: "",
  date: "",
  timeFrom: "",
  timeTo: "",
  note: "",
};

export type EntryErrors = Partial<Record<keyof EntryForm, "required" | "timeOrder" | "doctorOrSpecialization">>;

/** What must be filled before the API is asked (it checks the rest and says so per field). */
export function validateEntry(form: EntryForm): EntryErrors {
  const errors: EntryErrors = {};
  if (form.mode === "typed") {
    if (!form.lastName.trim()) errors.lastName = "required";
    if (!form.firstName.trim()) errors.firstName = "required";
  } else if (!form.cardId) errors.cardId = "required";
  if (!form.doctorId && !form.specializationId) errors.doctorId = "doctorOrSpecialization";
  if (form.timeFrom && form.timeTo && form.timeTo <= form.timeFrom) errors.timeTo = "timeOrder";
  return errors;
}

const orNull = (value: string) => value.trim() || null;

/** The POST /waitlist body: a card or a typed-in patient, never both. */
export function entryBody(form: EntryForm): Create {
  const patient =
    form.mode === "typed"
      ? {
          last_name: form.lastName.trim(),
          first_name: form.firstName.trim(),
          middle_name: orNull(form.middleName),
          mobile_phone: orNull(form.phone),
          birth_date: form.birthDate || null,
        }
      : null;
  return {
    patient_id: form.mode === "card" ? form.cardId : null,
    patient,
    doctor_id: form.doctorId || null,
    specialization_id: form.specializationId || null,
    wished_date: form.date || null,
    wished_time_from: form.timeFrom || null,
    wished_time_to: form.timeTo || null,
    note: orNull(form.note),
  };
}

/** The API's field names ("patient.last_name", "wished_time_to") as the form's fields. */
export function entryFieldOf(apiField: string): keyof EntryForm | null {
  const map: Record<string, keyof EntryForm> = {
    last_name: "lastName",
    first_name: "firstName",
    middle_name: "middleName",
    mobile_phone: "phone",
    birth_date: "birthDate",
    patient_id: "cardId",
    doctor_id: "doctorId",
    specialization_id: "specializationId",
    wished_date: "date",
    wished_time_from: "timeFrom",
    wished_time_to: "timeTo",
    note: "note",
  };
  return map[apiField.split(".").at(-1) ?? apiField] ?? null;
}
