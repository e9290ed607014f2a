/**
 * What an appointment cell shows, as HTML for the grid library: time, patient, marks (SCH-9) as
 * small icons each with its text (role="img" + aria-label + title), and a tooltip with the phone
 * and the note. Texts are escaped: the patient's name and note are typed by people.
 */
import { clinicTime } from "../../lib/time";
import type { CompactAppointment } from "./calendarModel";

export interface CellTexts {
  primary: string;
  minor: string;
  vip: string;
  processed: string;
  overbooked: string;
  phone: string;
  note: string;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

/** The marks shown on a cell, in a fixed order, as [icon, text]. */
export function marksOf(appointment: CompactAppointment, texts: CellTexts): [string, string][] {
  const marks: [string, string][] = [];
  if (appointment.is_primary) marks.push(["П", texts.primary]);
  if (appointment.marks.minor) marks.push(["Н", texts.minor]);
  if (appointment.marks.vip) marks.push(["★", texts.vip]);
  if (appointment.marks.processed) marks.push(["✓", texts.processed]);
  if (appointment.overbooked) marks.push(["+", texts.overbooked]);
  return marks;
}

/** The tooltip: time, patient, phone, note, marks (one a line). */
export function tooltipOf(appointment: CompactAppointment, zone: string, texts: CellTexts): string {
  const lines = [`${clinicTime(appointment.start, zone)}–${clinicTime(appointment.end, zone)} ${appointment.patient_name}`];
  if (appointment.mobile_phone) lines.push(`${texts.phone}: ${appointment.mobile_phone}`);
  if (appointment.note) lines.push(`${texts.note}: ${appointment.note}`);
  const marks = marksOf(appointment, texts).map(([, text]) => text);
  if (marks.length) lines.push(marks.join(", "));
  return lines.join("\n");
}

export function cellHtml(appointment: CompactAppointment, zone: string, texts: CellTexts): string {
  const marks = marksOf(appointment, texts)
    .map(([icon, text]) => `<span class="mark" role="img" aria-label="${escapeHtml(text)}" title="${escapeHtml(text)}">${icon}</span>`)
    .join("");
  const time = `${clinicTime(appointment.start, zone)}–${clinicTime(appointment.end, zone)}`;
  return (
    `<div class="cell" data-appointment-id="${escapeHtml(appointment.id)}" title="${escapeHtml(tooltipOf(appointment, zone, texts))}">` +
    `<span class="cell-time">${time}</span> ` +
    `<span class="cell-name">${escapeHtml(appointment.patient_name)}</span>` +
    (marks ? ` <span class="cell-marks">${marks}</span>` : "") +
    (appointment.mobile_phone ? `<span class="cell-phone">${escapeHtml(appointment.mobile_phone)}</span>` : "") +
    `</div>`
  );
}

function hoursMinutes(wall: Date): string {
  return `${String(wall.getHours()).padStart(2, "0")}:${String(wall.getMinutes()).padStart(2, "0")}`;
}

/**
 * The grid's own time text of a cell ("09:00–09:20"), from the wall Dates it holds: the same text
 * its Intl range format writes, without that format's cost (400 cells of a cold first load spent
 * more time in `formatRange` than in drawing).
 */
export function wallTimeRange(start: Date, end: Date | null): string {
  return end ? `${hoursMinutes(start)}–${hoursMinutes(end)}` : hoursMinutes(start);
}
