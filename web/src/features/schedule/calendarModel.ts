/**
 * The calendar answer (GET /api/scheduling/calendar) as the grid shows it: columns (resources),
 * appointments, and background shading for time off, breaks and day types. Pure functions, so
 * the geometry and the clinic-clock conversion are tested without a browser.
 *
 * The grid library works on the browser's local clock; every time here is a clinic "wall Date"
 * (see lib/time): its local fields are the clinic's wall clock, whatever the browser's zone is.
 */
import type { Schemas } from "../../api/client";
import { isoDateOfWall, minutesOf, timeOfMinutes, toWall, type IsoDate } from "../../lib/time";

export type CalendarData = Schemas["SchedulingCalendar"];
export type CalendarColumn = Schemas["SchedulingCalendarColumn"];
export type CompactAppointment = Schemas["SchedulingAppointmentCompact"];

/** What the grid library takes for one event (a subset of its EventInput, kept library-free here). */
export interface GridEvent {
  id: string;
  start: Date;
  end: Date;
  resourceIds: string[];
  title: string;
  display?: "auto" | "background";
  backgroundColor?: string;
  textColor?: string;
  classNames?: string[];
  editable?: boolean;
  extendedProps?: Record<string, unknown>;
}

export interface GridResource {
  id: string;
  title: string;
}

/** A half-open range of minutes since the clinic's midnight. */
export interface MinuteRange {
  start: number;
  end: number;
}

export const DEFAULT_DAY: MinuteRange = { start: 8 * 60, end: 20 * 60 };
export const PRIMARY_COLOUR = "#d8f3dc";
export const DEFAULT_COLOUR = "#ffffff";

/** The wall Date of a clinic date at `minutes` after its midnight (24:00 is the next midnight). */
export function wallAt(date: IsoDate, minutes: number): Date {
  const [year, month, day] = date.split("-").map(Number);
  return new Date(year, month - 1, day, 0, minutes);
}

/** `range` without the parts covered by `holes` (sorted, merged): what is left, in order. */
export function subtractRanges(range: MinuteRange, holes: MinuteRange[]): MinuteRange[] {
  const sorted = [...holes].sort((a, b) => a.start - b.start);
  const left: MinuteRange[] = [];
  let cursor = range.start;
  for (const hole of sorted) {
    if (hole.end <= cursor) continue;
    if (hole.start >= range.end) break;
    if (hole.start > cursor) left.push({ start: cursor, end: Math.min(hole.start, range.end) });
    cursor = Math.max(cursor, hole.end);
  }
  if (cursor < range.end) left.push({ start: cursor, end: range.end });
  return left;
}

function clockRange(range: { start: string; end: string }): MinuteRange {
  const end = minutesOf(range.end);
  // "00:00" as an end is the next midnight.
  return { start: minutesOf(range.start), end: end === 0 ? 24 * 60 : end };
}

/** Minutes after the clinic's midnight of the appointment's wall Date on `date` (clamped to the day). */
function wallMinutes(wall: Date, date: IsoDate): number {
  const day = isoDateOfWall(wall);
  if (day < date) return 0;
  if (day > date) return 24 * 60;
  return wall.getHours() * 60 + wall.getMinutes();
}

/**
 * The hours the grid shows: from the earliest start to the latest end of any working interval or
 * appointment, widened to whole hours; 08:00–20:00 when nobody works.
 */
export function visibleRange(calendar: CalendarData | undefined, zone: string): MinuteRange {
  let start = Infinity;
  let end = -Infinity;
  for (const column of columnsOf(calendar)) {
    for (const interval of column.schedule?.intervals ?? []) {
      const range = clockRange(interval);
      start = Math.min(start, range.start);
      end = Math.max(end, range.end);
    }
    for (const appointment of column.appointments) {
      start = Math.min(start, wallMinutes(toWall(appointment.start, zone), column.date));
      end = Math.max(end, wallMinutes(toWall(appointment.end, zone), column.date));
    }
  }
  if (!Number.isFinite(start)) return DEFAULT_DAY;
  return { start: Math.max(0, Math.floor(start / 60) * 60 - 60), end: Math.min(24 * 60, Math.ceil(end / 60) * 60 + 60) };
}

export function columnsOf(calendar: CalendarData | undefined): CalendarColumn[] {
  return calendar?.groups.flatMap((group) => group.columns) ?? [];
}

/** The doctors' columns, in the calendar's order, once each. */
export function resourcesOf(calendar: CalendarData | undefined): GridResource[] {
  const seen = new Map<string, GridResource>();
  for (const column of columnsOf(calendar)) {
    if (!seen.has(column.owner.id)) seen.set(column.owner.id, { id: column.owner.id, title: column.owner.name });
  }
  return [...seen.values()];
}

/** Black or white text, whichever reads better on `background` ("#rrggbb"). */
export function textOn(background: string): string {
  const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(background.trim());
  if (!match) return "#1d2733";
  const [r, g, b] = match.slice(1).map((hex) => {
    const channel = parseInt(hex, 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast with black (L+0.05)/0.05 against white 1.05/(L+0.05): equal at L ≈ 0.179.
  return luminance > 0.179 ? "#1d2733" : "#ffffff";
}

/** The cell's colour: a primary patient (no card) is green, as the source's screens show; else the status's colour. */
export function appointmentColour(appointment: CompactAppointment): string {
  if (appointment.is_primary) return PRIMARY_COLOUR;
  return appointment.status_colour || DEFAULT_COLOUR;
}

export interface EventTexts {
  break: string;
  off: string;
}

/** Appointments and shading of every column, as grid events (times on the clinic's wall clock). */
export function gridEvents(
  calendar: CalendarData | undefined,
  zone: string,
  texts: EventTexts,
  options: { editable: boolean; shown: MinuteRange },
): GridEvent[] {
  const events: GridEvent[] = [];
  const seen = new Set<string>();
  for (const column of columnsOf(calendar)) {
    const owner = column.owner.id;
    const key = `${owner}:${column.date}`;
    const schedule = column.schedule;
    const working = (schedule?.intervals ?? []).map(clockRange);
    for (const [index, off] of subtractRanges(options.shown, working).entries()) {
      events.push(background(`off:${key}:${index}`, column.date, off, owner, texts.off, ["slot-off"]));
    }
    for (const [index, pause] of (schedule?.breaks ?? []).map(clockRange).entries()) {
      events.push(background(`break:${key}:${index}`, column.date, pause, owner, texts.break, ["slot-break"]));
    }
    if (schedule?.day_type) {
      for (const [index, range] of working.entries()) {
        const shade = background(`daytype:${key}:${index}`, column.date, range, owner, schedule.day_type.name, [
          "slot-day-type",
        ]);
        shade.backgroundColor = schedule.day_type.colour;
        events.push(shade);
      }
    }
    for (const appointment of column.appointments) {
      if (appointment.deleted || seen.has(appointment.id)) continue;
      seen.add(appointment.id);
      events.push(appointmentEvent(appointment, owner, zone, options.editable));
    }
  }
  return events;
}

function background(id: string, date: IsoDate, range: MinuteRange, owner: string, title: string, classNames: string[]): GridEvent {
  return {
    id,
    start: wallAt(date, range.start),
    end: wallAt(date, range.end),
    resourceIds: [owner],
    title,
    display: "background",
    classNames,
    extendedProps: { kind: "background" },
  };
}

export function appointmentEvent(appointment: CompactAppointment, owner: string, zone: string, editable: boolean): GridEvent {
  const colour = appointmentColour(appointment);
  return {
    id: appointment.id,
    start: toWall(appointment.start, zone),
    end: toWall(appointment.end, zone),
    resourceIds: [owner],
    title: appointment.patient_name,
    backgroundColor: colour,
    textColor: textOn(colour),
    classNames: ["appointment", ...(appointment.is_primary ? ["appointment-primary"] : [])],
    editable,
    extendedProps: { kind: "appointment", appointment },
  };
}

/** A thin line at the clinic's current time across every column shown on its date. */
export function nowLine(nowWall: Date, resources: GridResource[]): GridEvent {
  return {
    id: "now",
    start: nowWall,
    end: new Date(nowWall.getTime() + 60_000),
    resourceIds: resources.map((resource) => resource.id),
    title: "",
    display: "background",
    classNames: ["now-line"],
    extendedProps: { kind: "now" },
  };
}

/** "HH:MM:00" for slotMinTime/slotMaxTime. */
export function durationOf(minutes: number): string {
  return `${timeOfMinutes(minutes)}:00`;
}

/** The slot a click on the grid names, on the clinic's clock. */
export interface Slot {
  doctorId: string;
  date: IsoDate;
  time: string; // "HH:MM"
  minutes?: number; // a selected range's length
}

/** A click (or a selected range) on the grid as a slot: the doctor, the clinic date and time. */
export function slotOf(start: Date, doctorId: string, end?: Date): Slot {
  const slot: Slot = {
    doctorId,
    date: isoDateOfWall(start),
    time: timeOfMinutes(start.getHours() * 60 + start.getMinutes()),
  };
  if (end) slot.minutes = Math.round((end.getTime() - start.getTime()) / 60_000);
  return slot;
}
