import { describe, expect, it } from "vitest";
import { encodingOf, parametersIn, renderTemplate, smsInfo } from "./sms";

describe("smsInfo", () => {
  it("counts an empty text as no segment", () => {
    expect(smsInfo("")).toEqual({ encoding: "GSM-7", length: 0, segments: 0, characters: 0 });
  });
  it("fits 160 Latin characters in one GSM-7 segment and splits the 161st into 153-septet parts", () => {
    expect(smsInfo("a".repeat(160))).toMatchObject({ encoding: "GSM-7", segments: 1 });
    expect(smsInfo("a".repeat(161))).toMatchObject({ segments: 2, length: 161 });
    expect(smsInfo("a".repeat(306)).segments).toBe(2);
    expect(smsInfo("a".repeat(307)).segments).toBe(3);
  });
  it("counts a GSM-7 extension character as two septets", () => {
    expect(smsInfo("€")).toMatchObject({ encoding: "GSM-7", length: 2, characters: 1 });
    expect(smsInfo("a".repeat(159) + "€").segments).toBe(2);
  });
  it("switches to UCS-2 on any Cyrillic: 70 in one, 67 per part", () => {
    expect(encodingOf("Hello Иван")).toBe("UCS-2");
    expect(smsInfo("я".repeat(70))).toMatchObject({ encoding: "UCS-2", segments: 1 });
    expect(smsInfo("я".repeat(71)).segments).toBe(2);
    expect(smsInfo("я".repeat(134)).segments).toBe(2);
    expect(smsInfo("я".repeat(135)).segments).toBe(3);
  });
  it("counts an emoji as two UCS-2 units and never splits it between parts", () => {
    expect(smsInfo("😀")).toMatchObject({ encoding: "UCS-2", length: 2, characters: 1 });
    // 66 units then an emoji: it does not fit the first 67-unit part, so it starts the second
    const text = "я".repeat(66) + "😀" + "я".repeat(10);
    expect(smsInfo(text)).toMatchObject({ length: 78, segments: 2 });
    expect(smsInfo("я".repeat(66) + "😀" + "я".repeat(66)).segments).toBe(3);
  });
});

describe("renderTemplate", () => {
  it("fills parameters case-insensitively and keeps unknown ones and lone percents", () => {
    expect(renderTemplate("Здравствуйте, %name1%! Скидка 5% %Nope%", { Name1: "Анна" })).toBe(
      "Здравствуйте, Анна! Скидка 5% %Nope%",
    );
  });
  it("turns HTML codes of emoji into the emoji", () => {
    expect(renderTemplate("Ждём вас &#128512;", {})).toBe("Ждём вас 😀");
  });
  it("lists the parameters a template uses once each", () => {
    expect(parametersIn("%Name1% %Doctor% %Name1%")).toEqual(["Name1", "Doctor"]);
  });
});
