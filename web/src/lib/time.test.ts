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
  wallFields,
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

  it("reads the same wall clock as Intl through a year of clock changes, minute by minute near each", () => {
    const zones = ["Europe/Moscow", "Europe/Berlin", "America/New_York", "America/St_Johns", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "Africa/Monrovia"];
    for (const zone of zones) {
      const intl = new Intl.DateTimeFormat("en-GB", {
        timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
      });
      const expected = (ms: number) => {
        const parts = Object.fromEntries(intl.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
        return [+parts.year, +parts.month, +parts.day, +parts.hour % 24, +parts.minute, +parts.second];
      };
      const check = (ms: number) => {
        const f = wallFields(new Date(ms), zone);
        expect([f.year, f.month, f.day, f.hour, f.minute, f.second], `${zone} ${new Date(ms).toISOString()}`).toEqual(expected(ms));
      };
      const offset = (ms: number) => {
        const [y, mo, d, h, mi, se] = expected(ms);
        return Date.UTC(y, mo - 1, d, h, mi, se) - Math.floor(ms / 1000) * 1000;
      };
      // 1971–1972 holds Monrovia's offset of -0:44:30 and its change to -1:00 (seconds, not minutes).
      const spans = [[Date.UTC(1971, 11, 20), Date.UTC(1972, 0, 20)], [Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1)]];
      let changes = 0;
      for (const [from, to] of spans) {
        const step = 127 * 60_000 + 17_000;
        for (let ms = from; ms < to; ms += step) {
          check(ms);
          if (offset(ms) === offset(ms + step)) continue;
          changes += 1;
          for (let near = ms; near < ms + step; near += 60_000 + 1_000) check(near);
        }
      }
      if (zone !== "Asia/Kathmandu" && zone !== "Europe/Moscow") expect(changes, zone).toBeGreaterThan(0);
    }
  });
});
