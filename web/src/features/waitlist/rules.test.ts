import { describe, expect, it } from "vitest";
import type { Schemas } from "../../api/client";
import { EMPTY_ENTRY, entryBody, entryFieldOf, timeWindow, validateEntry, visibleEntries } from "./rules";

type Entry = Schemas["SchedulingWaitlistRead"];
const entry = (id: string, doctor_id: string | null, wished_date: string | null) => ({ id, doctor_id, wished_date }) as Entry;

describe("visibleEntries", () => {
  const entries = [entry("a", "d1", "2026-12-07"), entry("b", "d2", "2026-12-07"), entry("c", null, null), entry("d", "d1", null)];

  it("keeps the doctors shown and the entries naming none, dated apart from undated", () => {
    const { dated, undated } = visibleEntries(entries, ["d1"], false);
    expect(dated.map((e) => e.id)).toEqual(["a"]);
    expect(undated.map((e) => e.id)).toEqual(["c", "d"]);
  });

  it("keeps every doctor's when asked or when no doctor is shown", () => {
    expect(visibleEntries(entries, ["d1"], true).dated).toHaveLength(2);
    expect(visibleEntries(entries, [], false).dated).toHaveLength(2);
  });
});

describe("timeWindow", () => {
  const words = { from: "с", to: "до" };
  it.each([
    ["09:00:00", "12:00:00", "09:00–12:00"],
    ["09:00", null, "с 09:00"],
    [null, "12:00", "до 12:00"],
    [null, null, ""],
  ])("%s–%s", (from, to, shown) => expect(timeWindow(from, to, words)).toBe(shown));
});

describe("validateEntry", () => {
  it("needs a typed patient's names and a doctor or specialization", () => {
    expect(validateEntry(EMPTY_ENTRY)).toEqual({
      lastName: "required",
      firstName: "required",
      doctorId: "doctorOrSpecialization",
    });
  });

  it("needs a card when a card is chosen, and hours in order", () => {
    expect(validateEntry({ ...EMPTY_ENTRY, mode: "card", specializationId: "s", timeFrom: "12:00", timeTo: "09:00" })).toEqual({
      cardId: "required",
      timeTo: "timeOrder",
    });
  });
});

describe("entryBody", () => {
  it("sends a typed patient without a date", () => {
    const body = entryBody({ ...EMPTY_ENTRY, lastName: " Иванова ", firstName: "Мария", phone: "79161234567", doctorId: "d" });
    expect(body).toMatchObject({
      patient_id: null,
      patient: { last_name: "Иванова", first_name: "Мария", middle_name: null, mobile_phone: "79161234567" },
      doctor_id: "d",
      wished_date: null,
    });
  });

  it("sends a card and the wished date and hours", () => {
    const body = entryBody({ ...EMPTY_ENTRY, mode: "card", cardId: "c", lastName: "x", date: "2026-12-08", timeFrom: "09:00" });
    expect(body).toMatchObject({ patient_id: "c", patient: null, wished_date: "2026-12-08", wished_time_from: "09:00" });
  });
});

describe("entryFieldOf", () => {
  it("maps nested API fields", () => {
    expect(entryFieldOf("patient.last_name")).toBe("lastName");
    expect(entryFieldOf("wished_time_to")).toBe("timeTo");
    expect(entryFieldOf("services")).toBeNull();
  });
});
