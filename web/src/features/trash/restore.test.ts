import { describe, expect, it } from "vitest";
import { restoreBody, restoreFieldOf, validateRestore } from "./restore";

const today = "2026-12-07";

describe("validateRestore", () => {
  it("needs a doctor, a date and a time", () => {
    expect(validateRestore({ doctorId: "", date: "", time: "" }, today)).toEqual({
      doctorId: "required",
      date: "required",
      time: "required",
    });
  });

  it("refuses a past date and a malformed time", () => {
    expect(validateRestore({ doctorId: "d", date: "2026-12-06", time: "25:00" }, today)).toEqual({
      date: "past",
      time: "invalid",
    });
  });

  it("takes today and a later day", () => {
    expect(validateRestore({ doctorId: "d", date: today, time: "09:30" }, today)).toEqual({});
    expect(validateRestore({ doctorId: "d", date: "2027-01-10", time: "17:45" }, today)).toEqual({});
  });
});

describe("restoreBody", () => {
  it("sends the start on the clinic's clock", () => {
    expect(restoreBody({ doctorId: "d", date: "2026-12-08", time: "10:15" }, "Europe/Moscow")).toEqual({
      doctor_id: "d",
      start: "2026-12-08T10:15:00+03:00",
      overbook: false,
    });
  });
});

describe("restoreFieldOf", () => {
  it("shows the slot's problems under the time", () => {
    expect(restoreFieldOf("start")).toBe("time");
    expect(restoreFieldOf("doctor_id")).toBe("doctorId");
    expect(restoreFieldOf("other")).toBeNull();
  });
});
