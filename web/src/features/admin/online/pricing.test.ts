import { describe, expect, it } from "vitest";
import { discountedPrice, formatMoney, formatPercent, hundredths, percentProblem, prepaidPrice } from "./pricing";

const link = (fields: Partial<Parameters<typeof prepaidPrice>[0]> = {}) => ({
  price: "999.99",
  prepayment_required: false,
  discount_on_prepayment: false,
  discount_percent: null,
  round_to_rubles: false,
  ...fields,
});

describe("general discount preview", () => {
  it("reads amounts and percents as exact hundredths", () => {
    expect(hundredths("999.99")).toBe(99999n);
    expect(hundredths("12.5")).toBe(1250n);
    expect(hundredths("7")).toBe(700n);
    expect(hundredths("1,5")).toBe(150n);
    expect(hundredths("1.234")).toBeNull();
    expect(hundredths("-1")).toBeNull();
    expect(hundredths(null)).toBeNull();
  });

  it("rounds the discounted price half up to kopecks, once", () => {
    expect(discountedPrice(link(), 1250n)).toBe(87499n); // 999.99 × 0.875 = 874.99125
    expect(discountedPrice(link({ price: "0.05" }), 1000n)).toBe(5n); // 0.045 → 0.05 (half up)
    expect(discountedPrice(link({ price: "100" }), 0n)).toBe(10000n);
    expect(discountedPrice(link({ price: "100" }), 10000n)).toBe(0n);
    expect(discountedPrice(link({ price: null }), 1000n)).toBeNull();
  });

  it("applies the prepayment discount after the general one, rounding to rubles when asked", () => {
    const prepaid = link({ price: "1000", prepayment_required: true, discount_on_prepayment: true, discount_percent: "5" });
    // 1000 × 0.9 × 0.95 = 855 (not 1000 × 0.85 = 850: one after the other, not added up)
    expect(prepaidPrice(prepaid, 1000n)).toBe(85500n);
    const odd = { ...prepaid, price: "999.99", discount_percent: "3.33" };
    expect(prepaidPrice(odd, 1250n)).toBe(84585n); // 874.99125 × 0.9667 = 845.8540…
    expect(prepaidPrice({ ...odd, round_to_rubles: true }, 1250n)).toBe(84600n); // → 846
    expect(prepaidPrice(link(), 1000n)).toBeNull();
  });

  it("refuses what the API refuses and writes money the Russian way", () => {
    expect(percentProblem("12.5")).toBeNull();
    expect(percentProblem("100")).toBeNull();
    expect(percentProblem("100.01")).toBe("range");
    expect(percentProblem("abc")).toBe("format");
    expect(formatMoney(87499n, "ru").replace(/\s/g, " ")).toBe("874,99");
    expect(formatMoney(123450n, "ru").replace(/\s/g, " ")).toBe("1 234,50");
    expect(formatMoney(null, "ru")).toBe("—");
  });
});

describe("percent", () => {
  it("writes hundredths of a percent without trailing zeros", () => {
    expect(formatPercent(1250n, "ru")).toBe("12,5");
    expect(formatPercent(0n, "ru")).toBe("0");
    expect(formatPercent(1250n, "en")).toBe("12.5");
  });
});
