import { describe, expect, it } from "vitest";
import { escapeHtml, wallTimeRange } from "./eventContent";

describe("a cell's texts", () => {
  it("writes the grid's time range from wall Dates, hours and minutes with two digits", () => {
    expect(wallTimeRange(new Date(2026, 11, 7, 9, 5), new Date(2026, 11, 7, 9, 25))).toBe("09:05–09:25");
    expect(wallTimeRange(new Date(2026, 11, 7, 23, 40), new Date(2026, 11, 8, 0, 0))).toBe("23:40–00:00");
    expect(wallTimeRange(new Date(2026, 11, 7, 14, 0), null)).toBe("14:00");
  });

  it("escapes what people type before it goes into a cell's HTML", () => {
    expect(escapeHtml(`<b>"O'Brien" & Co</b>`)).toBe("&lt;b&gt;&quot;O&#39;Brien&quot; &amp; Co&lt;/b&gt;");
  });
});
