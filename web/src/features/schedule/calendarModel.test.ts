import { describe, expect, it } from "vitest";
import {
  appointmentColour,
  gridEvents,
  nowLine,
  PRIMARY_COLOUR,
  resourcesOf,
  slotOf,
  subtractRanges,
  textOn,
  visibleRange,
  wallAt,
  type CalendarData,
  type CompactAppointment,
} from "./calendarModel";

const ZONE = "Europe/Moscow";
const SMIRNOVA = "11111111-1111-1111-1111-111111111111";
const KUZNETSOV = "22222222-2222-2222-2222-222222222222";

function appointment(overrides: Partial<CompactAppointment> = {}): CompactAppointment {
  return {
    id: "a1",
    number: "1",
    doctor_id: SMIRNOVA,
    cabinet_id: null,
    start: "2026-12-07T10:00:00+03:00",
    end: "2026-12-07T10:30:00+03:00",
    patient_id: "p1",
    patient_name: "Иванов И. И.",
    mobile_phone: "+7 900 000-00-00",
    status_id: null,
    status_colour: "#ffcc00",
    is_primary: false,
    marks: { primary: false, minor: false, vip: false, processed: false },
    overbooked: false,
    note: null,
    version: 3,
    deleted: false,
    ...overrides,
  };
}

function range(start: string, end: string) {
  return { start, end, starts_at: "2026-12-07T06:00:00Z", ends_at: "2026-12-07T15:00:00Z" };
}

const calendar: CalendarData = {
  date_from: "2026-12-07",
  date_to: "2026-12-07",
  timezone: ZONE,
  grid_step_minutes: 15,
  group_by: "date",
  groups: [
    {
      key: "2026-12-07",
      title: "2026-12-07",
      columns: [
        {
          date: "2026-12-07",
          owner: { type: "doctor", id: SMIRNOVA, name: "Смирнова Анна Сергеевна", note: null },
          schedule: {
            id: "s1",
            intervals: [range("09:00", "18:00")],
            breaks: [range("13:00", "14:00")],
            day_type: { id: "d1", name: "Дежурство", colour: "#aaccff" },
            note: null,
          },
          appointments: [appointment()],
        },
        {
          date: "2026-12-07",
          owner: { type: "doctor", id: KUZNETSOV, name: "Кузнецов Дмитрий Иванович", note: null },
          schedule: null,
          appointments: [],
        },
      ],
    },
  ],
};

describe("slot geometry", () => {
  it("leaves what the holes do not cover", () => {
    expect(subtractRanges({ start: 480, end: 1200 }, [{ start: 540, end: 1080 }])).toEqual([
      { start: 480, end: 540 },
      { start: 1080, end: 1200 },
    ]);
    expect(subtractRanges({ start: 480, end: 1200 }, [])).toEqual([{ start: 480, end: 1200 }]);
    expect(subtractRanges({ start: 480, end: 1200 }, [{ start: 400, end: 1300 }])).toEqual([]);
    // two intervals out of order, one overlapping the other
    expect(
      subtractRanges({ start: 480, end: 1200 }, [
        { start: 840, end: 1080 },
        { start: 540, end: 900 },
      ]),
    ).toEqual([
      { start: 480, end: 540 },
      { start: 1080, end: 1200 },
    ]);
  });

  it("shows the working hours with an hour around them, 08–20 when nobody works", () => {
    expect(visibleRange(calendar, ZONE)).toEqual({ start: 8 * 60, end: 19 * 60 });
    expect(visibleRange(undefined, ZONE)).toEqual({ start: 8 * 60, end: 20 * 60 });
  });

  it("takes a clicked wall time as the clinic's slot, whatever the browser's zone", () => {
    expect(slotOf(new Date(2026, 11, 7, 9, 30), SMIRNOVA)).toEqual({ doctorId: SMIRNOVA, date: "2026-12-07", time: "09:30" });
    expect(slotOf(new Date(2026, 11, 7, 9, 30), SMIRNOVA, new Date(2026, 11, 7, 10, 15)).minutes).toBe(45);
  });

  it("builds a wall Date from a date and minutes, 24:00 being the next midnight", () => {
    expect(wallAt("2026-12-07", 24 * 60)).toEqual(new Date(2026, 11, 8, 0, 0));
  });
});

describe("calendar data to grid events", () => {
  const events = gridEvents(calendar, ZONE, { break: "Перерыв", off: "Нерабочее время" }, {
    editable: true,
    shown: { start: 8 * 60, end: 19 * 60 },
  });

  it("lists the doctors' columns once, in order", () => {
    expect(resourcesOf(calendar)).toEqual([
      { id: SMIRNOVA, title: "Смирнова Анна Сергеевна" },
      { id: KUZNETSOV, title: "Кузнецов Дмитрий Иванович" },
    ]);
  });

  it("places an appointment at the clinic's wall time in its doctor's column", () => {
    const cell = events.find((event) => event.id === "a1");
    expect(cell?.start).toEqual(new Date(2026, 11, 7, 10, 0));
    expect(cell?.end).toEqual(new Date(2026, 11, 7, 10, 30));
    expect(cell?.resourceIds).toEqual([SMIRNOVA]);
    expect(cell?.backgroundColor).toBe("#ffcc00");
    expect(cell?.editable).toBe(true);
  });

  it("shades the time off, the break and the day type of a working day", () => {
    const mine = events.filter((event) => event.display === "background" && event.resourceIds[0] === SMIRNOVA);
    const spans = (name: string) =>
      mine.filter((event) => event.classNames?.includes(name)).map((event) => [event.start.getHours(), event.end.getHours()]);
    expect(spans("slot-off")).toEqual([
      [8, 9],
      [18, 19],
    ]);
    expect(spans("slot-break")).toEqual([[13, 14]]);
    expect(spans("slot-day-type")).toEqual([[9, 18]]);
    expect(mine.find((event) => event.classNames?.includes("slot-day-type"))?.backgroundColor).toBe("#aaccff");
  });

  it("shades the whole day of a doctor without a schedule", () => {
    const off = events.filter((event) => event.resourceIds[0] === KUZNETSOV);
    expect(off.map((event) => [event.start.getHours(), event.end.getHours()])).toEqual([[8, 19]]);
  });

  it("leaves out deleted appointments", () => {
    const withDeleted = structuredClone(calendar);
    withDeleted.groups[0].columns[0].appointments[0].deleted = true;
    const none = gridEvents(withDeleted, ZONE, { break: "", off: "" }, { editable: false, shown: { start: 480, end: 1140 } });
    expect(none.some((event) => event.id === "a1")).toBe(false);
  });

  it("draws the now line across every column", () => {
    const line = nowLine(new Date(2026, 11, 7, 11, 5), resourcesOf(calendar));
    expect(line.display).toBe("background");
    expect(line.resourceIds).toEqual([SMIRNOVA, KUZNETSOV]);
  });
});

describe("colours", () => {
  it("paints a primary patient green and others by status (white without one)", () => {
    expect(appointmentColour(appointment({ is_primary: true }))).toBe(PRIMARY_COLOUR);
    expect(appointmentColour(appointment({ status_colour: null }))).toBe("#ffffff");
  });

  it("chooses readable text", () => {
    expect(textOn("#ffffff")).toBe("#1d2733");
    expect(textOn("#1f5fae")).toBe("#ffffff");
    expect(textOn("not a colour")).toBe("#1d2733");
  });
});
