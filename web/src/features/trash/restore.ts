/** The «Восстановить в другое время» form's rules (SCH-6), apart from React. */
import { zonedIso } from "../../lib/time";

export interface RestoreForm {
  doctorId: string;
  date: string; // "2026-12-07"
  time: string; // "09:30"
}

export type RestoreErrors = Partial<Record<keyof RestoreForm, "required" | "invalid" | "past">>;

/** What is missing or wrong before asking the API (the API still checks the slot). */
export function validateRestore(form: RestoreForm, today: string): RestoreErrors {
  const errors: RestoreErrors = {};
  if (!form.doctorId) errors.doctorId = "required";
  if (!form.date) errors.date = "required";
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date)) errors.date = "invalid";
  else if (form.date < today) errors.date = "past";
  if (!form.time) errors.time = "required";
  else if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(form.time)) errors.time = "invalid";
  return errors;
}

/** The restore request for another slot: the doctor and the start on the clinic's clock. */
export function restoreBody(form: RestoreForm, zone: string): { doctor_id: string; start: string; overbook: boolean } {
  return { doctor_id: form.doctorId, start: zonedIso(form.date, form.time, zone), overbook: false };
}

/** The API's field errors shown under the form's own fields. */
export function restoreFieldOf(apiField: string): keyof RestoreForm | null {
  if (apiField === "doctor_id") return "doctorId";
  if (apiField === "start" || apiField === "end" || apiField === "duration_minutes") return "time";
  return null;
}
