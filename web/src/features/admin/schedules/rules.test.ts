import { describe, expect, it } from "vitest";
import {
  apiWeekdays,
  daysBetween,
  gridBounds,
  mondayOf,
  monthGrid,
  patternDates,
  rangeErrors,
  shiftMonth,
  stranded,
  weekCopyPairs,
} from "./rules";

describe("monthGrid", () => {
  it("starts on the Monday before the 1st and ends on the Sunday after the last day", () => {
    // December 2026: the 1st is a Tuesday, the 31st a Thursday.
    const weeks = monthGrid("2026-12");
    expect(weeks).toHaveLength(5);
    expect(weeks[0][0]).toEqual({ date: "2026-11-30", inMonth: false });
    expect(weeks[0][1]).toEqual({ date: "2026-12-01", inMonth: true });
    expect(weeks[4][3]).toEqual({ date: "2026-12-31", inMonth: true });
    expect(weeks[4][6]).toEqual({ date: "2027-01-03", inMonth: false });
    expect(weeks.every((week) => week.length === 7)).toBe(true);
  });

  it("has no leading days when the 1st is a Monday and six weeks when the month needs them", () => {
    expect(monthGrid("2027-02")[0][0]).toEqual({ date: "2027-02-01", inMonth: true }); // a Monday
    expect(monthGrid("2027-02")).toHaveLength(4); // 28 days from a Monday: exactly four weeks
    expect(monthGrid("2026-08")).toHaveLength(6); // the 1st is a Saturday, the 31st a Monday
  });

  it("gives the bounds to load and moves across years", () => {
    expect(gridBounds("2026-12")).toEqual({ from: "2026-11-30", to: "2027-01-03" });
    expect(shiftMonth("2026-12", 1)).toBe("2027-01");
    expect(shiftMonth("2027-01", -1)).toBe("2026-12");
    expect(mondayOf("2026-12-06")).toBe("2026-11-30"); // a Sunday belongs to the week before
    expect(daysBetween("2026-12-30", "2027-01-02")).toBe(3);
  });
});

describe("weekday pattern", () => {
  it("sends Пн…Вс as 0 = Monday … 6 = Sunday", () => {
    expect(apiWeekdays([true, true, true, true, true, false, false])).toEqual([0, 1, 2, 3, 4]);
    expect(apiWeekdays([false, false, false, false, false, true, true])).toEqual([5, 6]);
  });

  it("lists the dates of the period on the checked weekdays", () => {
    const dates = patternDates("2026-12-01", "2026-12-07", [true, false, true, false, false, false, true]);
    expect(dates).toEqual(["2026-12-02", "2026-12-06", "2026-12-07"]); // Wed, Sun, Mon
  });

  it("pairs each day of a week with the same weekday of the target week", () => {
    const pairs = weekCopyPairs("2026-12-07", "2026-12-14");
    expect(pairs[0]).toEqual({ from: "2026-12-07", to: "2026-12-14" });
    expect(pairs[6]).toEqual({ from: "2026-12-13", to: "2026-12-20" });
  });
});

describe("stranded appointments", () => {
  const day = [{ start: "09:00", end: "15:00" }];
  it("keeps appointments inside the working time and out of breaks", () => {
    const spans = [
      { id: "inside", start: 9 * 60, end: 9 * 60 + 30 },
      { id: "late", start: 15 * 60, end: 15 * 60 + 30 },
      { id: "across-end", start: 14 * 60 + 45, end: 15 * 60 + 15 },
      { id: "before-break", start: 12 * 60 + 30, end: 13 * 60 },
      { id: "in-break", start: 13 * 60 + 15, end: 13 * 60 + 45 },
    ];
    expect(stranded(spans, day, [{ start: "13:00", end: "14:00" }])).toEqual(["late", "across-end", "in-break"]);
  });

  it("leaves every appointment out of a day without working time", () => {
    expect(stranded([{ id: "a", start: 600, end: 630 }], [], [])).toEqual(["a"]);
  });

  it("finds empty and reversed ranges before asking the API", () => {
    expect(rangeErrors([{ start: "09:00", end: "" }, { start: "12:00", end: "11:00" }, day[0]])).toEqual({
      0: "empty",
      1: "order",
    });
  });
});
