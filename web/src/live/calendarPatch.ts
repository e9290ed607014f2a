/**
 * An appointment event applied to the calendars already loaded, at once: another desk's booking,
 * move or deletion shows on the grid the moment its event arrives, before the calendar is asked
 * for again (the live provider still makes it stale, and the refetch brings the full picture:
 * a card patient's name, marks, the status colour). The event carries what the grid places an
 * appointment by: its doctor, its times, a primary patient's name (AppointmentState).
 */
import type { CalendarData, CompactAppointment } from "../features/schedule/calendarModel";

const NO_MARKS: CompactAppointment["marks"] = { primary: false, minor: false, vip: false, processed: false };

function text(value: unknown): string | null {
  return typeof value === "string" && value ? value : null;
}

/** The event's appointment as a calendar item, keeping what only the calendar knew of it before. */
function itemOf(data: Record<string, unknown>, before: CompactAppointment | undefined): CompactAppointment | null {
  const id = text(data.id);
  const doctor = text(data.doctor_id);
  const start = text(data.start);
  const end = text(data.end);
  if (!id || !doctor || !start || !end) return null;
  const typed = [data.last_name, data.first_name, data.middle_name].map(text).filter(Boolean).join(" ");
  const primary = data.is_primary === true;
  return {
    id,
    number: text(data.number) ?? before?.number ?? "",
    doctor_id: doctor,
    cabinet_id: text(data.cabinet_id),
    start,
    end,
    patient_id: text(data.patient_id),
    patient_name: typed || before?.patient_name || "…",
    mobile_phone: text(data.mobile_phone) ?? before?.mobile_phone ?? null,
    status_id: text(data.status_id),
    status_colour: before && before.status_id === text(data.status_id) ? before.status_colour : null,
    is_primary: primary,
    marks: before?.marks ?? { ...NO_MARKS, primary },
    overbooked: before?.overbooked ?? false,
    note: before?.note ?? null,
    version: before?.version ?? 0,
    deleted: data.deleted === true,
  };
}

/** `calendar` with the event's appointment taken out of every column and, unless deleted, put
 * into its doctor's column of its date; the same object when the event concerns none of it. */
export function patchCalendar(calendar: CalendarData, data: Record<string, unknown>): CalendarData {
  const id = text(data.id);
  if (!id) return calendar;
  const before = calendar.groups
    .flatMap((group) => group.columns)
    .flatMap((column) => column.appointments)
    .find((appointment) => appointment.id === id);
  const item = itemOf(data, before);
  if (!item) return calendar; // not an appointment's whole state: the refetch will tell
  const date = item.start.slice(0, 10); // the clinic's date: the API writes times with its offset
  let changed = false;
  const groups = calendar.groups.map((group) => ({
    ...group,
    columns: group.columns.map((column) => {
      const kept = column.appointments.filter((appointment) => appointment.id !== id);
      const placed = !item.deleted && column.owner.id === item.doctor_id && column.date === date;
      if (kept.length === column.appointments.length && !placed) return column;
      changed = true;
      const appointments = placed ? [...kept, item].sort((a, b) => a.start.localeCompare(b.start)) : kept;
      return { ...column, appointments };
    }),
  }));
  return changed ? { ...calendar, groups } : calendar;
}
