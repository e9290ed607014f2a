/**
 * What the schedule screen asks for, in one place: its view from the address (`?date=…&days=…`)
 * and the calendar query that view needs. The screen uses it, and so does the first load
 * (`prefetchSchedule`): as soon as the session is restored (or the clinic's zone is known) the
 * calendar and the doctors are asked for, while the screen's code is still being set up, under
 * the keys the screen reads.
 */
import type { QueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { SCHEDULE_PATH } from "../../boot";
import { doctorsQuery, type Doctor } from "../../api/directories";
import { keys } from "../../api/keys";
import { unwrap } from "../../lib/problem";
import { addDays, clinicDate, type IsoDate } from "../../lib/time";
import type { DaysShown, ScheduleView } from "./ScheduleToolbar";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function daysOf(value: string | null): DaysShown {
  return value === "3" ? 3 : value === "7" ? 7 : 1;
}

export function scheduleView(params: URLSearchParams, today: () => IsoDate): ScheduleView {
  return {
    date: DATE.test(params.get("date") ?? "") ? (params.get("date") as IsoDate) : today(),
    days: daysOf(params.get("days")),
    doctorId: params.get("doctor") ?? "",
    buildingId: params.get("building") ?? "",
    specializationId: params.get("specialization") ?? "",
  };
}

export type CalendarParams =
  | { date_from: IsoDate; date_to: IsoDate; building_id?: string }
  | { date_from: IsoDate; date_to: IsoDate; doctor_id: string[] };

/** One day shows every doctor (of a building); 3 or 7 days show one doctor. */
export function calendarParams(view: ScheduleView, oneDoctor: Pick<Doctor, "id"> | undefined): CalendarParams {
  return view.days === 1
    ? { date_from: view.date, date_to: view.date, building_id: view.buildingId || undefined }
    : { date_from: view.date, date_to: addDays(view.date, view.days - 1), doctor_id: oneDoctor ? [oneDoctor.id] : [] };
}

export function calendarQuery(params: CalendarParams) {
  return {
    queryKey: [...keys.calendar, params] as const,
    queryFn: async () => unwrap(await api.GET("/api/scheduling/calendar", { params: { query: params } })),
  };
}

/**
 * On the schedule's address: ask for a day's calendar and the doctors now (see above). Without
 * a date in the address the day is the clinic's today, which needs its zone (`zone`); until the
 * zone is known (null) only an address with a date can be asked for.
 */
export function prefetchSchedule(
  queries: QueryClient,
  zone: string | null,
  location: Pick<Location, "pathname" | "search">,
): void {
  if (!SCHEDULE_PATH.test(location.pathname)) return;
  const params = new URLSearchParams(location.search);
  if (zone === null && !DATE.test(params.get("date") ?? "")) return;
  const view = scheduleView(params, () => clinicDate(new Date(), zone ?? "UTC"));
  if (view.days !== 1) return; // several days show one doctor, chosen from the doctors' list
  void queries.prefetchQuery(calendarQuery(calendarParams(view, undefined)));
  void queries.prefetchQuery(doctorsQuery);
}
