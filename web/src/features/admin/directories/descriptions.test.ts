import { describe, expect, it } from "vitest";
import ru from "../../../i18n/ru/directories.json";
import { DIRECTORIES } from "./descriptions";
import { bodyOf, errorsByField, initialValues, matches, type Item } from "./form";

const byName = (name: string) => DIRECTORIES.find((directory) => directory.name === name)!;

describe("directory descriptions", () => {
  it.each(DIRECTORIES.map((directory) => [directory.name, directory] as const))(
    "%s has a Russian title and at least one required field",
    (_name, directory) => {
      expect((ru.titles as Record<string, string>)[directory.title]).toBeTruthy();
      expect(directory.fields.some((field) => field.required)).toBe(true);
    },
  );

  it("names every field and column in Russian", () => {
    const labels = ru.fields as Record<string, string>;
    for (const directory of DIRECTORIES) {
      for (const field of [...directory.fields, ...directory.columns]) expect(labels[field.label], field.label).toBeTruthy();
    }
  });

  it("gives every select a directory to choose from that is itself described", () => {
    const names = new Set(DIRECTORIES.map((directory) => directory.name));
    for (const directory of DIRECTORIES) {
      for (const field of [...directory.fields, ...directory.columns]) {
        if (field.kind === "select" || field.kind === "multiselect") expect(names.has(field.source!)).toBe(true);
      }
    }
  });

  it("describes the thirteen directories of SCH-1 once each", () => {
    expect(new Set(DIRECTORIES.map((directory) => directory.name)).size).toBe(13);
  });
});

describe("the edit form's body", () => {
  const doctors = byName("doctors");
  const services = byName("services");

  it("sends a new item's filled fields and leaves empty optional ones out", () => {
    const values = { ...initialValues(doctors), last_name: " Петров ", first_name: "Иван", specialization_ids: ["s1"] };
    expect(bodyOf(doctors, values)).toEqual({
      last_name: "Петров",
      first_name: "Иван",
      specialization_ids: ["s1"],
      online_booking: false,
      active: true,
    });
  });

  it("sends an empty required field so the API names it", () => {
    expect(bodyOf(byName("specializations"), initialValues(byName("specializations")))).toEqual({ name: "", active: true });
  });

  it("sends only what changed in an existing item, and null to clear an optional field", () => {
    const item = { id: "1", active: true, code: "A1", name: "Приём", group: "Терапия", price: "1500.00", duration_minutes: 30 } as Item;
    const before = initialValues(services, item);
    const after = { ...before, price: "1 700,50", group: "" };
    expect(bodyOf(services, after, before)).toEqual({ price: "1700.50", group: null });
  });

  it("gives the colour input lower case and sends upper case", () => {
    const status = { id: "1", active: true, name: "Пришёл", colour: "#AABBCC", sets_processed: true } as Item;
    const before = initialValues(byName("appointment-statuses"), status);
    expect(before.colour).toBe("#aabbcc");
    expect(bodyOf(byName("appointment-statuses"), { ...before, colour: "#3366cc" }, before)).toEqual({ colour: "#3366CC" });
  });
});

describe("search and errors", () => {
  it("finds an item by every word in its search fields", () => {
    const doctor = { id: "1", active: true, name: "Смирнова Анна Сергеевна", phone: "79001234567" } as Item;
    expect(matches(byName("doctors"), doctor, "смирн анна")).toBe(true);
    expect(matches(byName("doctors"), doctor, "петров")).toBe(false);
    expect(matches(byName("doctors"), doctor, "")).toBe(true);
  });

  it("puts an error on a list element next to the list's control", () => {
    const errors = [
      { field: "specialization_ids.1", message: "нет такой специализации" },
      { field: "body", message: "что-то ещё" },
    ];
    expect(errorsByField(byName("doctors"), errors)).toEqual({
      fields: { specialization_ids: "нет такой специализации" },
      other: ["что-то ещё"],
    });
  });
});
