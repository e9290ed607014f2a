/**
 * Pure rules of «Поиск записей» (SCH-11) and «Поиск свободного времени» (SCH-12): the filters as
 * the address keeps them and as the API takes them, the Excel link, and free slots by day and doctor.
 */
import { addDays, clinicDate, clinicTime, minutesOf } from "../../lib/time";

/** Every filter of GET /api/scheduling/appointments the screen offers; "" = not set. */
export interface AppointmentFilters {
  date_from: string;
  date_to: string;
  doctor_id: string[];
  card_number: string;
  number: string;
  q: string;
  phone: string;
  building_id: string;
  cabinet_id: string;
  status_id: string;
  record_type_id: string;
  patient_id: string;
  deleted: boolean;
}

const TEXT_FILTERS = [
  "date_from",
  "date_to",
  "card_number",
  "number",
  "q",
  "phone",
  "building_id",
  "cabinet_id",
  "status_id",
  "record_type_id",
  "patient_id",
] as const;

export function defaultFilters(today: string): AppointmentFilters {
  return {
    date_from: today,
    date_to: today,
    doctor_id: [],
    card_number: "",
    number: "",
    q: "",
    phone: "",
    building_id: "",
    cabinet_id: "",
    status_id: "",
    record_type_id: "",
    patient_id: "",
    deleted: false,
  };
}

/** «Кто придёт завтра»: the clinic's next date, everything else as it was (a building, say). */
export function tomorrowFilters(filters: AppointmentFilters, today: string): AppointmentFilters {
  const tomorrow = addDays(today, 1);
  return { ...filters, date_from: tomorrow, date_to: tomorrow, deleted: false };
}

/** The query of GET /appointments (and of its .xlsx twin): only what is set, text trimmed. */
export type AppointmentQuery = Partial<Record<(typeof TEXT_FILTERS)[number], string>> & {
  doctor_id?: string[];
  deleted?: boolean;
};

export function appointmentQuery(filters: AppointmentFilters): AppointmentQuery {
  const query: AppointmentQuery = {};
  for (const name of TEXT_FILTERS) {
    const value = filters[name].trim();
    if (value) query[name] = value;
  }
  if (filters.doctor_id.length) query.doctor_id = [...filters.doctor_id];
  if (filters.deleted) query.deleted = true;
  return query;
}

/** The filters in the address (`?date_from=…&doctor_id=a&doctor_id=b`), so a search can be linked to. */
export function filtersToUrl(filters: AppointmentFilters): URLSearchParams {
  const url = new URLSearchParams();
  const query = appointmentQuery(filters);
  for (const name of TEXT_FILTERS) if (query[name]) url.set(name, query[name]);
  for (const doctor of query.doctor_id ?? []) url.append("doctor_id", doctor);
  if (query.deleted) url.set("deleted", "1");
  return url;
}

/** The filters of an address; a link with only `patient_id` searches all dates of that patient. */
export function filtersFromUrl(url: URLSearchParams, today: string): AppointmentFilters {
  const filters = defaultFilters(today);
  if ([...url.keys()].length === 0) return filters;
  filters.date_from = "";
  filters.date_to = "";
  for (const name of TEXT_FILTERS) filters[name] = url.get(name) ?? "";
  filters.doctor_id = url.getAll("doctor_id");
  filters.deleted = url.get("deleted") === "1";
  return filters;
}

/** GET /api/scheduling/appointments/export.xlsx with the same filters (doctor_id repeated). */
export function exportUrl(query: AppointmentQuery): string {
  const url = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) for (const item of value) url.append(name, item);
    else if (value !== undefined && value !== "") url.set(name, String(value));
  }
  const text = url.toString();
  return `/api/scheduling/appointments/export.xlsx${text ? `?${text}` : ""}`;
}

// ——— free time ———

export interface Slot {
  doctor_id: string;
  start: string;
  end: string;
}

export interface DaySlots {
  date: string;
  doctors: { doctorId: string; slots: { time: string; start: string }[] }[];
}

/**
 * Slots by clinic day, then by doctor (in the order the doctors first appear, i.e. who is free
 * earliest), each doctor's times in order. `from`/`to` ("HH:MM", inclusive start, exclusive end of
 * the window) keep only slots starting in the time window; the API has no such filter.
 */
export function groupSlots(slots: Slot[], zone: string, window: { from?: string; to?: string } = {}): DaySlots[] {
  const from = window.from ? minutesOf(window.from) : 0;
  const to = window.to ? minutesOf(window.to) : 24 * 60;
  const days = new Map<string, Map<string, { time: string; start: string }[]>>();
  const sorted = [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  for (const slot of sorted) {
    const time = clinicTime(slot.start, zone);
    const minutes = minutesOf(time);
    if (minutes < from || minutes >= to) continue;
    const date = clinicDate(slot.start, zone);
    let doctors = days.get(date);
    if (!doctors) days.set(date, (doctors = new Map()));
    let times = doctors.get(slot.doctor_id);
    if (!times) doctors.set(slot.doctor_id, (times = []));
    times.push({ time, start: slot.start });
  }
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, doctors]) => ({
      date,
      doctors: [...doctors.entries()].map(([doctorId, times]) => ({ doctorId, slots: times })),
    }));
}

/** Where one click on a free slot goes: the schedule, which opens «Запись на приём» prefilled. */
export function bookingUrl(date: string, doctorId: string, time: string): string {
  // ":" is left as typed (valid in a query): the address reads "time=09:30".
  return `/schedule?date=${encodeURIComponent(date)}&doctor=${encodeURIComponent(doctorId)}&time=${time}`;
}

