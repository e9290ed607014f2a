import { describe, expect, it } from "vitest";
import { ApiProblem } from "../../lib/problem";
import {
  cardQuery,
  createBody,
  EMPTY_FORM,
  formatPhone,
  groupCode,
  missingForOndoc,
  parseDate,
  patchBody,
  requiredMarks,
} from "./rules";

describe("the patient search box", () => {
  it("reads words as name prefixes", () => {
    expect(cardQuery("  иван   ив ")).toEqual({ q: "иван ив" });
  });
  it("reads a Russian date as the birth date", () => {
    expect(cardQuery("7.3.1985")).toEqual({ birth_date: "1985-03-07" });
  });
  it("narrows a name by a date typed beside it", () => {
    expect(cardQuery("Иванов 07.03.1985")).toEqual({ q: "Иванов", birth_date: "1985-03-07" });
  });
  it("reads up to six bare digits as a card number, more as a phone", () => {
    expect(cardQuery("123")).toEqual({ card_number: "123" });
    expect(cardQuery("9161234567")).toEqual({ phone: "9161234567" });
  });
  it("reads a formatted number as a phone, and №… as a card number", () => {
    expect(cardQuery("+7 (916) 123-45-67")).toEqual({ phone: "+7 (916) 123-45-67" });
    expect(cardQuery("№ 42")).toEqual({ card_number: "42" });
  });
  it("follows a forced mode", () => {
    expect(cardQuery("4567", "phone")).toEqual({ phone: "4567" });
    expect(cardQuery("Петров", "card")).toEqual({ card_number: "Петров" });
  });
  it("asks nothing for an empty box", () => {
    expect(cardQuery("   ")).toEqual({});
  });
  it("refuses impossible dates", () => {
    expect(parseDate("31.02.2000")).toBeNull();
  });
});

describe("phones", () => {
  it("formats a Russian mobile", () => {
    expect(formatPhone("79161234567")).toBe("+7 (916) 123-45-67");
  });
  it("keeps other numbers whole", () => {
    expect(formatPhone("4930123456")).toBe("+4930123456");
    expect(formatPhone(null)).toBe("");
  });
});

describe("the required-data policy", () => {
  it("marks only the names when it is off", () => {
    const marks = requiredMarks({ required_fields_enabled: false, required_fields: ["birth_date", "contact"] });
    expect([...marks.required].sort()).toEqual(["first_name", "last_name"]);
    expect(marks.oneOf.size).toBe(0);
  });
  it("marks its fields, and the contact as one of phone or e-mail", () => {
    const marks = requiredMarks({
      required_fields_enabled: true,
      required_fields: ["last_name", "first_name", "middle_name", "birth_date", "contact"],
    });
    expect(marks.required.has("middle_name")).toBe(true);
    expect(marks.required.has("birth_date")).toBe(true);
    expect([...marks.oneOf].sort()).toEqual(["email", "mobile_phone"]);
  });
});

describe("what a card form sends", () => {
  it("creates with the filled fields only", () => {
    const form = { ...EMPTY_FORM, last_name: " Иванова ", first_name: "Мария", other_phones: "8 916 1\n\n+7 495" };
    expect(createBody(form)).toEqual({
      last_name: "Иванова",
      first_name: "Мария",
      vip: false,
      other_phones: ["8 916 1", "+7 495"],
    });
  });
  it("patches only what changed, a cleared field as null", () => {
    const initial = { ...EMPTY_FORM, last_name: "Иванова", first_name: "Мария", mobile_phone: "+7 (916) 123-45-67", address: "Москва" };
    const form = { ...initial, address: "", email: "m@example.ru" };
    expect(patchBody(initial, form)).toEqual({ address: null, email: "m@example.ru" });
  });
});

describe("the ONDOC attach code", () => {
  it("is grouped by three digits to read out", () => {
    expect(groupCode("123456789")).toBe("123 456 789");
  });
  it("names the card fields ONDOC needs, the contact at both phone and e-mail", () => {
    const problem = new ApiProblem(422, {
      errors: [
        { field: "birth_date", code: "required_for_ondoc", message: "нужна дата рождения" },
        { field: "contact", code: "required_for_ondoc", message: "нужен телефон или e-mail" },
      ],
    });
    expect(missingForOndoc(problem)).toEqual({
      birth_date: "нужна дата рождения",
      mobile_phone: "нужен телефон или e-mail",
      email: "нужен телефон или e-mail",
    });
  });
});
