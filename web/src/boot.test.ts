import { describe, expect, it } from "vitest";
import { firstScreenReads, readKey } from "./boot";

const ORIGIN = "http://clinic.test";
const at = (url: string) => {
  const parsed = new URL(url, ORIGIN);
  return { pathname: parsed.pathname, search: parsed.search };
};
const keys = (reads: string[]) => reads.map((url) => readKey(url, ORIGIN));

describe("the first screen's early reads", () => {
  it("spells an address one way whatever the order of its parameters", () => {
    expect(readKey("/api/scheduling/doctors?limit=500&active=true", ORIGIN)).toBe(readKey(`${ORIGIN}/api/scheduling/doctors?active=true&limit=500`, ORIGIN));
    expect(readKey("/api/x?a=1", ORIGIN)).not.toBe(readKey("/api/x?a=2", ORIGIN));
  });

  it("reads the day in the address with the doctors, filters and waiting list", () => {
    expect(keys(firstScreenReads(at("/schedule?date=2026-12-07"), null))).toEqual(
      keys([
        "/api/platform/settings",
        "/api/scheduling/doctors?active=true&limit=500",
        "/api/scheduling/buildings?limit=500",
        "/api/scheduling/specializations?limit=500",
        "/api/scheduling/calendar?date_from=2026-12-07&date_to=2026-12-07",
        "/api/scheduling/waitlist?date=2026-12-07&limit=500",
      ]),
    );
  });

  it("takes a building filter into the calendar's read", () => {
    const reads = firstScreenReads(at("/schedule?date=2026-12-07&building=b-1"), null);
    expect(keys(reads)).toContain(readKey("/api/scheduling/calendar?building_id=b-1&date_from=2026-12-07&date_to=2026-12-07", ORIGIN));
  });

  it("takes today on the last known clinic clock when the address has no date", () => {
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Kamchatka" }).format(new Date());
    expect(firstScreenReads(at("/"), "Asia/Kamchatka")).toContain(`/api/scheduling/calendar?date_from=${today}&date_to=${today}`);
  });

  it("does not guess today without a known zone, nor from a zone the browser does not know", () => {
    expect(firstScreenReads(at("/schedule"), null).some((url) => url.includes("calendar"))).toBe(false);
    expect(firstScreenReads(at("/schedule"), "Mars/Olympus").some((url) => url.includes("calendar"))).toBe(false);
  });

  it("reads only the settings on other screens and on several days of one doctor", () => {
    expect(firstScreenReads(at("/patients"), "Europe/Moscow")).toEqual(["/api/platform/settings"]);
    expect(firstScreenReads(at("/schedule?days=7"), "Europe/Moscow")).toEqual(["/api/platform/settings"]);
  });
});
