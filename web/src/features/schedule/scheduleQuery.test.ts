import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it, vi } from "vitest";
import { calendarParams, calendarQuery, prefetchSchedule, scheduleView } from "./scheduleQuery";

const today = () => "2026-12-07" as const;

describe("scheduleView", () => {
  it("takes the date and the days from the address", () => {
    const view = scheduleView(new URLSearchParams("date=2026-12-09&days=3&doctor=d1"), today);
    expect(view).toMatchObject({ date: "2026-12-09", days: 3, doctorId: "d1" });
  });

  it("falls back to the clinic's today and one day", () => {
    expect(scheduleView(new URLSearchParams("date=9.12.2026&days=5"), today)).toMatchObject({ date: "2026-12-07", days: 1 });
  });
});

describe("calendarParams", () => {
  it("asks one day for every doctor of the building", () => {
    const view = scheduleView(new URLSearchParams("date=2026-12-09&building=b1"), today);
    expect(calendarParams(view, undefined)).toEqual({ date_from: "2026-12-09", date_to: "2026-12-09", building_id: "b1" });
  });

  it("asks several days for one doctor", () => {
    const view = scheduleView(new URLSearchParams("date=2026-12-09&days=7"), today);
    expect(calendarParams(view, { id: "d2" })).toEqual({ date_from: "2026-12-09", date_to: "2026-12-15", doctor_id: ["d2"] });
  });
});

describe("prefetchSchedule", () => {
  function prefetched(pathname: string, search: string, zone: string | null = "Europe/Moscow"): unknown[][] {
    const queries = new QueryClient();
    const prefetch = vi.spyOn(queries, "prefetchQuery").mockResolvedValue(undefined);
    prefetchSchedule(queries, zone, { pathname, search });
    return prefetch.mock.calls.map(([options]) => [...(options as { queryKey: readonly unknown[] }).queryKey]);
  }

  it("asks for the day the schedule will show, under the key the screen reads", () => {
    const keys = prefetched("/schedule", "?date=2026-12-09");
    const screen = calendarQuery(calendarParams(scheduleView(new URLSearchParams("date=2026-12-09"), today), undefined));
    expect(keys).toContainEqual([...screen.queryKey]);
    expect(keys).toContainEqual(["directory", "doctors"]);
  });

  it("asks for a day named in the address before the clinic's zone is known", () => {
    expect(prefetched("/schedule", "?date=2026-12-09", null)).toContainEqual(["calendar", { date_from: "2026-12-09", date_to: "2026-12-09" }]);
  });

  it("waits for the zone when the day is the clinic's today", () => {
    expect(prefetched("/schedule", "", null)).toEqual([]);
  });

  it("asks for nothing on another screen", () => {
    expect(prefetched("/patients", "")).toEqual([]);
  });

  it("asks for nothing when several days are shown (the doctor comes from the list)", () => {
    expect(prefetched("/schedule", "?days=3")).toEqual([]);
  });
});
