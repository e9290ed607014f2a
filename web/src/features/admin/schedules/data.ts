/** What «Расписание работы» loads: day types, an owner's working days, and their appointments. */
import { useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "../../../api/client";
import { keys } from "../../../api/keys";
import { unwrap } from "../../../lib/problem";
import { clinicDate, clinicTime, minutesOf, type IsoDate } from "../../../lib/time";
import type { BookedSpan } from "./rules";

export type Schedule = Schemas["SchedulingScheduleRead"];
export type DayType = Schemas["SchedulingDayTypeRead"];
export type Booked = Schemas["SchedulingAppointmentCompact"];
export type BulkResult = Schemas["SchedulingBulkResult"];

export type OwnerKind = "doctor" | "cabinet";
export interface Owner {
  kind: OwnerKind;
  id: string;
}

/** The key prefix of the working days: every change of a day invalidates it. */
export const SCHEDULES_KEY = ["work-schedules"] as const;

export const useDayTypes = () =>
  useQuery({
    queryKey: keys.directory("day-types"),
    staleTime: 5 * 60_000,
    queryFn: async () =>
      unwrap(await api.GET("/api/scheduling/day-types", { params: { query: { limit: 500 } } })).items,
  });

/** The owner's query parameters, as both /schedules and /calendar take them. */
export function ownerQuery(owner: Owner): { doctor_id?: string[]; cabinet_id?: string[] } {
  return owner.kind === "doctor" ? { doctor_id: [owner.id] } : { cabinet_id: [owner.id] };
}

export async function loadSchedules(owner: Owner, from: IsoDate, to: IsoDate): Promise<Schedule[]> {
  const page = unwrap(
    await api.GET("/api/scheduling/schedules", {
      params: { query: { ...ownerQuery(owner), date_from: from, date_to: to, limit: 500 } },
    }),
  );
  return page.items;
}

/** The owner's working days of a period, by date. */
export function useSchedules(owner: Owner | null, from: IsoDate, to: IsoDate) {
  return useQuery({
    queryKey: [...SCHEDULES_KEY, owner, from, to],
    enabled: owner !== null,
    queryFn: async () => new Map((await loadSchedules(owner as Owner, from, to)).map((s) => [s.date, s])),
  });
}

/** The owner's active appointments of a period (at most 62 days: the calendar's limit), by column date. */
export async function loadBooked(owner: Owner, from: IsoDate, to: IsoDate): Promise<Map<IsoDate, Booked[]>> {
  const calendar = unwrap(
    await api.GET("/api/scheduling/calendar", {
      params: {
        query: {
          ...ownerQuery(owner),
          date_from: from,
          date_to: to,
          view: owner.kind === "cabinet" ? "cabinets" : "doctors",
        },
      },
    }),
  );
  const byDate = new Map<IsoDate, Booked[]>();
  for (const group of calendar.groups) {
    for (const column of group.columns) {
      const active = column.appointments.filter((item) => !item.deleted);
      if (active.length) byDate.set(column.date, [...(byDate.get(column.date) ?? []), ...active]);
    }
  }
  return byDate;
}

/** The month's appointments, under the calendar's key: the live stream refreshes them. */
export function useBooked(owner: Owner | null, from: IsoDate, to: IsoDate) {
  return useQuery({
    queryKey: [...keys.calendar, "work-schedules", owner, from, to],
    enabled: owner !== null,
    queryFn: () => loadBooked(owner as Owner, from, to),
  });
}

/** An appointment as minutes on the clinic's clock of its date (the end may pass midnight). */
export function spanOf(item: Booked, zone: string): BookedSpan {
  const start = minutesOf(clinicTime(item.start, zone));
  const minutes = Math.round((new Date(item.end).getTime() - new Date(item.start).getTime()) / 60000);
  return { id: item.id, start, end: start + minutes };
}

export function bookedOn(byDate: Map<IsoDate, Booked[]> | undefined, date: IsoDate, zone: string): Booked[] {
  return (byDate?.get(date) ?? []).filter((item) => clinicDate(item.start, zone) === date);
}
