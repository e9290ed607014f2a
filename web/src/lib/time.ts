/**
 * Times in the clinic's zone, whatever the browser's own zone is.
 *
 * The API sends and takes datetimes with the clinic's offset ("2026-12-07T09:00:00+03:00").
 * Screens show the clinic's wall clock. The grid library works with the browser's local Date,
 * so a clinic wall time is carried as a "wall Date": a Date whose local fields (year … minute)
 * are the clinic's wall-clock fields. `toWall` and `fromWall` convert at the edge.
 */

export type IsoDate = string; // "2026-12-07"

const partsCache = new Map<string, Intl.DateTimeFormat>();

function partsFormat(zone: string): Intl.DateTimeFormat {
  let format = partsCache.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partsCache.set(zone, format);
  }
  return format;
}

export interface WallFields {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock fields of an instant as Intl reads them (the slow, always right way). */
function intlFields(instant: Date, zone: string): WallFields {
  const fields: Record<string, number> = {};
  for (const part of partsFormat(zone).formatToParts(instant)) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year,
    month: fields.month,
    day: fields.day,
    hour: fields.hour % 24,
    minute: fields.minute,
    second: fields.second,
  };
}

const HOUR_MS = 3_600_000;
// Per zone, per UTC hour since 1970: the zone's offset (ms) through that hour, or NaN when the
// offset changes inside it. A day grid converts a thousand instants that fall in a few hours; Intl
// reads each hour twice instead of every instant once (formatToParts dominated a cold first load).
const hourOffsets = new Map<string, Map<number, number>>();

function offsetAt(ms: number, zone: string): number {
  const f = intlFields(new Date(ms), zone);
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - Math.floor(ms / 1000) * 1000;
}

function hourOffset(zone: string, hour: number): number {
  let offsets = hourOffsets.get(zone);
  if (!offsets) hourOffsets.set(zone, (offsets = new Map()));
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const first = offsetAt(hour * HOUR_MS, zone);
    offset = first === offsetAt(hour * HOUR_MS + HOUR_MS - 1000, zone) ? first : NaN;
    if (offsets.size >= 20_000) offsets.clear(); // a long-open page scrolling through years
    offsets.set(hour, offset);
  }
  return offset;
}

/** The clinic wall-clock fields of an instant. */
export function wallFields(instant: Date, zone: string): WallFields {
  const ms = instant.getTime();
  // An hour with a clock change in it (or an invalid date) is read by Intl itself.
  const offset = Number.isFinite(ms) ? hourOffset(zone, Math.floor(ms / HOUR_MS)) : NaN;
  if (Number.isNaN(offset)) return intlFields(instant, zone);
  const wall = new Date(ms + offset);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

/** Minutes east of UTC of `zone` at an instant (Moscow: 180). */
export function offsetMinutes(instant: Date, zone: string): number {
  const f = wallFields(instant, zone);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

function pad(value: number, width = 2): string {
  return String(Math.abs(value)).padStart(width, "0");
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  return `${sign}${pad(Math.trunc(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/**
 * The instant of a clinic wall time, as the API takes it: "2026-12-07T09:00:00+03:00".
 * A wall time skipped by a clock change is taken with the offset before the change.
 */
export function zonedIso(date: IsoDate, time: string, zone: string): string {
  const [year, month, day] = date.split("-").map(Number);
  const [hour, minute] = time.split(":").map(Number);
  const guessUtc = Date.UTC(year, month - 1, day, hour, minute);
  // Two passes settle the offset near a clock change.
  let offset = offsetMinutes(new Date(guessUtc), zone);
  offset = offsetMinutes(new Date(guessUtc - offset * 60000), zone);
  return `${date}T${pad(hour)}:${pad(minute)}:00${formatOffset(offset)}`;
}

/** A wall Date (see the module's note) for an API datetime. */
export function toWall(iso: string, zone: string): Date {
  const f = wallFields(new Date(iso), zone);
  return new Date(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
}

/** The API datetime of a wall Date. */
export function fromWall(wall: Date, zone: string): string {
  return zonedIso(isoDateOfWall(wall), `${pad(wall.getHours())}:${pad(wall.getMinutes())}`, zone);
}

export function isoDateOfWall(wall: Date): IsoDate {
  return `${wall.getFullYear()}-${pad(wall.getMonth() + 1)}-${pad(wall.getDate())}`;
}

/** The clinic's date of an instant ("2026-12-07"). */
export function clinicDate(instant: Date | string, zone: string): IsoDate {
  const f = wallFields(typeof instant === "string" ? new Date(instant) : instant, zone);
  return `${f.year}-${pad(f.month)}-${pad(f.day)}`;
}

/** "09:05" on the clinic's clock. */
export function clinicTime(iso: string, zone: string): string {
  const f = wallFields(new Date(iso), zone);
  return `${pad(f.hour)}:${pad(f.minute)}`;
}

/** "07.12.2026" from "2026-12-07" (the date as Russian forms write it). */
export function formatDate(date: IsoDate): string {
  const [year, month, day] = date.split("-");
  return `${day}.${month}.${year}`;
}

/** "07.12.2026 09:05" on the clinic's clock. */
export function clinicDateTime(iso: string, zone: string): string {
  return `${formatDate(clinicDate(iso, zone))} ${clinicTime(iso, zone)}`;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [year, month, day] = date.split("-").map(Number);
  const moved = new Date(Date.UTC(year, month - 1, day + days));
  return `${moved.getUTCFullYear()}-${pad(moved.getUTCMonth() + 1)}-${pad(moved.getUTCDate())}`;
}

/** Monday = 1 … Sunday = 7, as a Russian calendar counts. */
export function isoWeekday(date: IsoDate): number {
  const [year, month, day] = date.split("-").map(Number);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

/** Minutes since midnight of "HH:MM" or "HH:MM:SS". */
export function minutesOf(time: string): number {
  const [hour, minute] = time.split(":").map(Number);
  return hour * 60 + minute;
}

export function timeOfMinutes(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}
