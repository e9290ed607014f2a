import { describe, expect, it } from "vitest";
import {
  appointmentQuery,
  bookingUrl,
  defaultFilters,
  exportUrl,
  filtersFromUrl,
  filtersToUrl,
  groupSlots,
  tomorrowFilters,
} from "./rules";

const ZONE = "Europe/Moscow";

describe("appointment search filters", () => {
  it("send only what is set", () => {
    const filters = { ...defaultFilters("2026-12-07"), q: "  Иванов ", doctor_id: ["a", "b"] };
    expect(appointmentQuery(filters)).toEqual({
      date_from: "2026-12-07",
      date_to: "2026-12-07",
      q: "Иванов",
      doctor_id: ["a", "b"],
    });
  });
  it("«кто придёт завтра» is the clinic's next date, keeping the building", () => {
    const filters = tomorrowFilters({ ...defaultFilters("2026-12-31"), building_id: "b1", deleted: true }, "2026-12-31");
    expect(appointmentQuery(filters)).toEqual({ date_from: "2027-01-01", date_to: "2027-01-01", building_id: "b1" });
  });
  it("survive the address", () => {
    const filters = { ...defaultFilters("2026-12-07"), doctor_id: ["a", "b"], status_id: "s", deleted: true };
    expect(filtersFromUrl(filtersToUrl(filters), "2026-12-07")).toEqual(filters);
  });
  it("a link with a patient only searches all dates", () => {
    const filters = filtersFromUrl(new URLSearchParams("patient_id=p1"), "2026-12-07");
    expect(appointmentQuery(filters)).toEqual({ patient_id: "p1" });
  });
  it("export with the same filters, doctors repeated", () => {
    expect(exportUrl({ date_from: "2026-12-07", doctor_id: ["a", "b"], deleted: true })).toBe(
      "/api/scheduling/appointments/export.xlsx?date_from=2026-12-07&doctor_id=a&doctor_id=b&deleted=true",
    );
  });
});

describe("free slots", () => {
  const slots = [
    { doctor_id: "d2", start: "2026-12-07T10:00:00+03:00", end: "2026-12-07T10:30:00+03:00" },
    { doctor_id: "d1", start: "2026-12-07T09:00:00+03:00", end: "2026-12-07T09:30:00+03:00" },
    { doctor_id: "d1", start: "2026-12-08T06:00:00Z", end: "2026-12-08T06:30:00Z" },
    { doctor_id: "d1", start: "2026-12-07T09:30:00+03:00", end: "2026-12-07T10:00:00+03:00" },
  ];
  it("group by clinic day, then doctor, in time order", () => {
    expect(groupSlots(slots, ZONE)).toEqual([
      {
        date: "2026-12-07",
        doctors: [
          { doctorId: "d1", slots: [{ time: "09:00", start: slots[1].start }, { time: "09:30", start: slots[3].start }] },
          { doctorId: "d2", slots: [{ time: "10:00", start: slots[0].start }] },
        ],
      },
      { date: "2026-12-08", doctors: [{ doctorId: "d1", slots: [{ time: "09:00", start: slots[2].start }] }] },
    ]);
  });
  it("keep the time window", () => {
    const days = groupSlots(slots, ZONE, { from: "09:30", to: "10:00" });
    expect(days).toEqual([{ date: "2026-12-07", doctors: [{ doctorId: "d1", slots: [{ time: "09:30", start: slots[3].start }] }] }]);
  });
  it("book in one click through the schedule", () => {
    expect(bookingUrl("2026-12-07", "d1", "09:30")).toBe("/schedule?date=2026-12-07&doctor=d1&time=09:30");
  });
});
