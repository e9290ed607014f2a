/**
 * Online-booking prices as the API computes them (services/scheduling/.../online/pricing.py), for
 * the general discount's preview: exact decimal arithmetic (integers of kopecks and hundredths of
 * a percent, in BigInt), discounts applied one after the other, rounded once, half up, to kopecks
 * or, for the price with prepayment when asked, to whole rubles.
 */

export interface PricedLink {
  price?: string | null;
  prepayment_required: boolean;
  discount_on_prepayment: boolean;
  discount_percent?: string | null;
  round_to_rubles: boolean;
}

/** "1234.5" → 123450n hundredths (kopecks of an amount, or hundredths of a percent); null when not a number. */
export function hundredths(value: string | number | null | undefined): bigint | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim().replace(",", ".");
  const match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(text);
  if (!match) return null;
  return BigInt(match[1]) * 100n + BigInt((match[2] ?? "").padEnd(2, "0"));
}

/** numerator / denominator rounded half up (both positive). */
function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

const WHOLE = 10_000n; // 100 % in hundredths of a percent

/** The price after the general discount, in kopecks; null when the link has no price. */
export function discountedPrice(link: PricedLink, generalPercent: bigint): bigint | null {
  const price = hundredths(link.price);
  if (price === null) return null;
  return roundHalfUp(price * (WHOLE - generalPercent), WHOLE);
}

/** The price when prepaid (both discounts), in kopecks; null without a price or a prepayment discount. */
export function prepaidPrice(link: PricedLink, generalPercent: bigint): bigint | null {
  const price = hundredths(link.price);
  if (price === null || !(link.prepayment_required && link.discount_on_prepayment)) return null;
  const discount = hundredths(link.discount_percent) ?? 0n;
  const numerator = price * (WHOLE - generalPercent) * (WHOLE - discount);
  const denominator = WHOLE * WHOLE;
  return link.round_to_rubles ? roundHalfUp(numerator, denominator * 100n) * 100n : roundHalfUp(numerator, denominator);
}

/** Kopecks as the screen writes money: "1 234,50" (Russian) or "1,234.50". */
export function formatMoney(kopecks: bigint | null, language: string): string {
  if (kopecks === null) return "—";
  const rubles = Number(kopecks / 100n) + Number(kopecks % 100n) / 100;
  return new Intl.NumberFormat(language === "en" ? "en-GB" : "ru-RU", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(rubles);
}

/** Why a typed general discount cannot be set (the API's rule: 0–100, at most 2 decimals), or null. */
export function percentProblem(value: string): "format" | "range" | null {
  const parsed = hundredths(value);
  if (parsed === null) return "format";
  return parsed > WHOLE ? "range" : null;
}

/** Hundredths of a percent as the screen writes them: "12,5" (Russian) or "12.5". */
export function formatPercent(value: bigint | null, language: string): string {
  if (value === null) return "—";
  return new Intl.NumberFormat(language === "en" ? "en-GB" : "ru-RU", { maximumFractionDigits: 2 }).format(
    Number(value) / 100,
  );
}
