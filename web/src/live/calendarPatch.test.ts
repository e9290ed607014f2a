import { describe, expect, it } from "vitest";
import type { CalendarData, CompactAppointment } from "../features/schedule/calendarModel";
import { patchCalendar } from "./calendarPatch";

const DAY = "2026-12-07";

function appointment(id: string, start: string, extra: Partial<CompactAppointment> = {}): CompactAppointment {
  return {
    id,
    number: "A-1",
    doctor_id: "doc-1",
    cabinet_id: null,
    start: `${DAY}T${start}:00+03:00`,
    end: `${DAY}T${start.slice(0, 2)}:30:00+03:00`,
    patient_id: "card-1",
    patient_name: "Иванова Мария Петровна",
    mobile_phone: null,
    status_id: "s-1",
    status_colour: "#ffcc00",
    is_primary: false,
    marks: { primary: false, minor: false, vip: true, processed: false },
    overbooked: false,
    note: "позвонить",
    version: 3,
    deleted: false,
    ...extra,
  };
}

function calendar(columns: Record<string, CompactAppointment[]>): CalendarData {
  return {
    groups: [
      {
        columns: Object.entries(columns).map(([owner, appointments]) => ({
          owner: { id: owner, name: owner },
          date: DAY,
          appointments,
        })),
      },
    ],
  } as unknown as CalendarData;
}

const itemsOf = (data: CalendarData, owner: string) =>
  data.groups[0]!.columns.find((column) => column.owner.id === owner)!.appointments;

describe("patchCalendar", () => {
  it("puts another desk's new booking of a primary patient into its doctor's column, in time order", () => {
    const before = calendar({ "doc-1": [appointment("a", "09:00"), appointment("b", "11:00")], "doc-2": [] });
    const after = patchCalendar(before, {
      id: "new",
      number: "A-9",
      doctor_id: "doc-1",
      start: `${DAY}T10:00:00+03:00`,
      end: `${DAY}T10:30:00+03:00`,
      last_name: "Живов",
      first_name: "Пётр",
      is_primary: true,
    });
    expect(itemsOf(after, "doc-1").map((a) => a.id)).toEqual(["a", "new", "b"]);
    expect(itemsOf(after, "doc-1")[1]).toMatchObject({ patient_name: "Живов Пётр", is_primary: true, number: "A-9" });
    expect(itemsOf(after, "doc-2")).toEqual([]);
  });

  it("moves an appointment to another doctor and keeps what only the calendar knew (name, marks, note)", () => {
    const before = calendar({ "doc-1": [appointment("a", "09:00")], "doc-2": [] });
    const after = patchCalendar(before, {
      id: "a",
      doctor_id: "doc-2",
      patient_id: "card-1",
      status_id: "s-1",
      start: `${DAY}T12:00:00+03:00`,
      end: `${DAY}T12:30:00+03:00`,
    });
    expect(itemsOf(after, "doc-1")).toEqual([]);
    expect(itemsOf(after, "doc-2")[0]).toMatchObject({
      id: "a",
      patient_name: "Иванова Мария Петровна",
      status_colour: "#ffcc00",
      note: "позвонить",
      start: `${DAY}T12:00:00+03:00`,
    });
  });

  it("takes a deleted appointment off the grid", () => {
    const before = calendar({ "doc-1": [appointment("a", "09:00")] });
    const after = patchCalendar(before, { ...appointment("a", "09:00"), deleted: true });
    expect(itemsOf(after, "doc-1")).toEqual([]);
  });

  it("drops the status colour when the status changed (the refetch brings the new one)", () => {
    const before = calendar({ "doc-1": [appointment("a", "09:00")] });
    const after = patchCalendar(before, { ...appointment("a", "09:00"), status_id: "s-2" });
    expect(itemsOf(after, "doc-1")[0]!.status_colour).toBeNull();
  });

  it("leaves a calendar of other days and doctors as it was (the same object)", () => {
    const before = calendar({ "doc-1": [appointment("a", "09:00")] });
    const after = patchCalendar(before, {
      id: "x",
      doctor_id: "doc-1",
      start: "2026-12-08T10:00:00+03:00",
      end: "2026-12-08T10:30:00+03:00",
    });
    expect(after).toBe(before);
  });

  it("ignores an event without an appointment's id", () => {
    const before = calendar({ "doc-1": [] });
    expect(patchCalendar(before, { doctor_id: "doc-1" })).toBe(before);
  });

  it("keeps an appointment whose event does not carry its doctor and times", () => {
    const before = calendar({ "doc-1": [appointment("a", "09:00")] });
    expect(patchCalendar(before, { id: "a", status_id: "s-2" })).toBe(before);
  });
});
