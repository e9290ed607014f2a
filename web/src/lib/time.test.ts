import { describe, expect, it } from "vitest";
import {
  addDays,
  clinicDate,
  clinicDateTime,
  clinicTime,
  formatDate,
  fromWall,
  isoWeekday,
  offsetMinutes,
  toWall,
  zonedIso,
} from "./time";

describe("clinic time zone display", () => {
  it("shows an instant on the clinic's clock, not the browser's", () => {
    expect(clinicTime("2026-12-07T06:00:00Z", "Europe/Moscow")).toBe("09:00");
    expect(clinicTime("2026-12-07T06:00:00Z", "Asia/Vladivostok")).toBe("16:00");
    expect(clinicTime("2026-12-07T09:00:00+03:00", "Asia/Yekaterinburg")).toBe("11:00");
  });

  it("takes the clinic's date of a late-evening instant", () => {
    expect(clinicDate("2026-12-07T22:30:00Z", "Europe/Moscow")).toBe("2026-12-08");
    expect(clinicDate("2026-12-07T22:30:00Z", "Europe/London")).toBe("2026-12-07");
  });

  it("writes a wall time with the clinic's offset for the API", () => {
    expect(zonedIso("2026-12-07", "09:30", "Europe/Moscow")).toBe("2026-12-07T09:30:00+03:00");
    expect(zonedIso("2026-12-07", "09:30", "Asia/Kamchatka")).toBe("2026-12-07T09:30:00+12:00");
    expect(zonedIso("2026-07-01", "09:30", "Europe/Berlin")).toBe("2026-07-01T09:30:00+02:00");
    expect(zonedIso("2026-12-01", "09:30", "Europe/Berlin")).toBe("2026-12-01T09:30:00+01:00");
    expect(zonedIso("2026-12-07", "09:30", "America/St_Johns")).toBe("2026-12-07T09:30:00-03:30");
  });

  it("round-trips a wall Date to the same API instant", () => {
    const iso = "2026-12-07T14:45:00+03:00";
    const wall = toWall(iso, "Europe/Moscow");
    expect(wall.getHours()).toBe(14);
    expect(wall.getMinutes()).toBe(45);
    expect(fromWall(wall, "Europe/Moscow")).toBe(iso);
  });

  it("knows the offset on each side of a clock change", () => {
    expect(offsetMinutes(new Date("2026-03-29T00:30:00Z"), "Europe/Berlin")).toBe(60);
    expect(offsetMinutes(new Date("2026-03-29T01:30:00Z"), "Europe/Berlin")).toBe(120);
  });

  it("writes dates the Russian way and counts weekdays from Monday", () => {
    expect(formatDate("2026-12-07")).toBe("07.12.2026");
    expect(clinicDateTime("2026-12-07T06:05:00Z", "Europe/Moscow")).toBe("07.12.2026 09:05");
    expect(isoWeekday("2026-12-07")).toBe(1);
    expect(isoWeekday("2026-12-06")).toBe(7);
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });
});
