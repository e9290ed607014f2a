import { describe, expect, it } from "vitest";
import { phoneWithCountryCode, readableChange, readableChanges, whatsappUrl } from "./rules";

const words = { yes: "да", no: "нет", card: "карта" };

describe("whatsappUrl", () => {
  it.each([
    ["79229999999", "https://wa.me/79229999999"],
    ["+7 (922) 999-99-99", "https://wa.me/79229999999"],
    ["8 922 999 99 99", "https://wa.me/79229999999"],
    ["9229999999", "https://wa.me/79229999999"],
  ])("%s → %s", (phone, url) => expect(whatsappUrl(phone)).toBe(url));

  it.each([[null], [""], ["12-34"]])("no link for %s", (phone) => expect(whatsappUrl(phone)).toBeNull());

  it("copies the phone with its country code", () => {
    expect(phoneWithCountryCode("8 (922) 999-99-99")).toBe("+79229999999");
  });
});

describe("readableChange", () => {
  it("shows a move on the clinic's clock whatever the instant's offset", () => {
    const change = { field: "start", from: "2026-12-07T06:00:00+00:00", to: "2026-12-07T10:30:00+03:00" };
    expect(readableChange(change, "Europe/Moscow", words)).toEqual({
      field: "start",
      from: "07.12.2026 09:00",
      to: "07.12.2026 10:30",
    });
  });

  it("names a reference as it was then", () => {
    const change = { field: "status_id", from: null, to: "id-2", from_name: null, to_name: "Пришёл" };
    expect(readableChange(change, "Europe/Moscow", words)).toEqual({ field: "status_id", from: "—", to: "Пришёл" });
  });

  it("lists service lines with quantity and price", () => {
    const change = {
      field: "services",
      from: [],
      to: [{ service_id: "s", name: "Приём терапевта", quantity: 2, price: "1500.00" }],
    };
    expect(readableChange(change, "Europe/Moscow", words).to).toBe("Приём терапевта × 2 — 1500.00 ₽");
  });

  it("reads booleans and dates", () => {
    expect(readableChange({ field: "processed", from: false, to: true }, "Europe/Moscow", words)).toMatchObject({
      from: "нет",
      to: "да",
    });
    expect(readableChange({ field: "birth_date", from: null, to: "1980-03-04" }, "Europe/Moscow", words).to).toBe(
      "04.03.1980",
    );
  });

  it("leaves out what did not change", () => {
    const shown = readableChanges(
      [
        { field: "note", from: null, to: null },
        { field: "note", from: "a", to: "b" },
      ],
      "Europe/Moscow",
      words,
    );
    expect(shown).toEqual([{ field: "note", from: "a", to: "b" }]);
  });
});
