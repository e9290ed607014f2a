import { describe, expect, it } from "vitest";
import { bookingBody, defaultDuration, emptyForm, validateBooking, waitlistBookBody } from "./bookingForm";
import { cellHtml, escapeHtml, marksOf, tooltipOf, type CellTexts } from "./eventContent";
import { searchKind } from "./PatientCombobox";

const slot = { doctorId: "d1", date: "2026-12-07", time: "10:00" };
const primary = { ...slot, lastName: "Петров", firstName: "Пётр" };
const options = { today: "2026-12-06", needsPatient: true };

describe("booking form rules", () => {
  it("asks for the doctor, date and time", () => {
    expect(validateBooking(emptyForm({ lastName: "А", firstName: "Б" }), options)).toEqual({
      doctor_id: "doctorRequired",
      date: "dateRequired",
      start: "timeRequired",
    });
  });

  it("asks for a card or a primary patient's last and first names", () => {
    expect(validateBooking(emptyForm(slot), options)).toEqual({ last_name: "lastNameRequired", first_name: "firstNameRequired" });
    expect(validateBooking(emptyForm({ ...slot, card: { id: "c1", label: "Иванов" } }), options)).toEqual({});
    // a waiting-list entry brings its own patient
    expect(validateBooking(emptyForm(slot), { ...options, needsPatient: false })).toEqual({});
  });

  it("checks the phone, the birth date and the length", () => {
    const form = emptyForm({ ...primary, phone: "12-34", birthDate: "2030-01-01", durationMinutes: "3" });
    expect(validateBooking(form, options)).toEqual({ mobile_phone: "phone", birth_date: "birthDate", duration_minutes: "duration" });
    expect(validateBooking(emptyForm({ ...primary, phone: "+7 (900) 123-45-67", durationMinutes: "30" }), options)).toEqual({});
  });

  it("rejects a malformed time", () => {
    expect(validateBooking(emptyForm({ ...primary, time: "25:00" }), options)).toEqual({ start: "timeRequired" });
  });
});

describe("booking bodies", () => {
  it("sends a typed-in patient with the clinic's offset", () => {
    const body = bookingBody(emptyForm({ ...primary, middleName: " ", phone: "+79001234567", durationMinutes: "30", serviceIds: ["s1"] }), "Europe/Moscow");
    expect(body.start).toBe("2026-12-07T10:00:00+03:00");
    expect(body.duration_minutes).toBe(30);
    expect(body.patient).toEqual({ last_name: "Петров", first_name: "Пётр", middle_name: undefined, mobile_phone: "+79001234567", birth_date: undefined });
    expect(body.patient_id).toBeUndefined();
    expect(body.services).toEqual([{ service_id: "s1", quantity: 1 }]);
  });

  it("sends a chosen card by id only", () => {
    const body = bookingBody(emptyForm({ ...slot, card: { id: "c1", label: "Иванов" } }), "Europe/Moscow");
    expect(body.patient_id).toBe("c1");
    expect(body.patient).toBeUndefined();
  });

  it("books a waiting-list entry into the slot", () => {
    expect(waitlistBookBody(emptyForm({ ...slot, durationMinutes: "" }), "Asia/Yekaterinburg")).toEqual({
      start: "2026-12-07T10:00:00+05:00",
      doctor_id: "d1",
      duration_minutes: undefined,
      overbook: false,
    });
  });

  it("lasts the services' minutes, else the grid step", () => {
    expect(defaultDuration([20, null, 25], 15)).toBe(45);
    expect(defaultDuration([], 15)).toBe(15);
  });
});

describe("patient search and cells", () => {
  it("searches digits as a phone or card number and words as names", () => {
    expect(searchKind("Ив")).toBe("name");
    expect(searchKind("+7 900")).toBe("digits");
    expect(searchKind("1")).toBeNull();
  });

  const texts: CellTexts = {
    primary: "Первичный пациент",
    minor: "Несовершеннолетний",
    vip: "VIP",
    processed: "Обработан",
    overbooked: "Сверх записи",
    phone: "Телефон",
    note: "Примечание",
  };
  const cell = {
    id: "a1",
    number: "1",
    doctor_id: "d1",
    cabinet_id: null,
    start: "2026-12-07T10:00:00+03:00",
    end: "2026-12-07T10:30:00+03:00",
    patient_id: null,
    patient_name: "<b>Петров</b>",
    mobile_phone: "+79001234567",
    status_id: null,
    status_colour: null,
    is_primary: true,
    marks: { primary: true, minor: false, vip: true, processed: false },
    overbooked: false,
    note: "Позвонить",
    version: 1,
    deleted: false,
  };

  it("shows marks with their texts, and escapes what people typed", () => {
    expect(marksOf(cell, texts).map(([, text]) => text)).toEqual(["Первичный пациент", "VIP"]);
    const html = cellHtml(cell, "Asia/Yekaterinburg", texts);
    expect(html).toContain('aria-label="VIP"');
    expect(html).toContain("12:00–12:30"); // the clinic given here is UTC+5
    expect(html).not.toContain("<b>");
    expect(escapeHtml(`"'&`)).toBe("&quot;&#39;&amp;");
  });

  it("puts the phone and the note in the tooltip", () => {
    expect(tooltipOf(cell, "Europe/Moscow", texts)).toBe(
      "10:00–10:30 <b>Петров</b>\nТелефон: +79001234567\nПримечание: Позвонить\nПервичный пациент, VIP",
    );
  });
});
