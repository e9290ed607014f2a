/**
 * SMS size of a text, as the notifier counts it (services/notifier/…/templates/sms.py), and the
 * template rendered with sample values: pure functions, so the preview updates as one types.
 *
 * GSM-7 when every character is in the GSM 03.38 alphabet or its extension table (an extension
 * character takes two septets); otherwise UCS-2 (any Cyrillic or emoji), where a character
 * outside the Basic Multilingual Plane takes two UTF-16 units. One segment holds 160 septets or
 * 70 UCS-2 units; a split message holds 153 / 67 per segment and never splits a character.
 */

const GSM7_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
const GSM7_EXTENSION = new Set("^{}\\[~]|€\f");

export type SmsEncoding = "GSM-7" | "UCS-2";

export interface SmsInfo {
  encoding: SmsEncoding;
  /** septets (GSM-7) or UTF-16 units (UCS-2) */
  length: number;
  segments: number;
  /** characters as a person counts them (code points) */
  characters: number;
}

const SINGLE: Record<SmsEncoding, number> = { "GSM-7": 160, "UCS-2": 70 };
const MULTI: Record<SmsEncoding, number> = { "GSM-7": 153, "UCS-2": 67 };

export function encodingOf(text: string): SmsEncoding {
  for (const ch of text) if (!GSM7_BASIC.has(ch) && !GSM7_EXTENSION.has(ch)) return "UCS-2";
  return "GSM-7";
}

export function smsInfo(text: string): SmsInfo {
  const encoding = encodingOf(text);
  const chars = [...text]; // code points: an emoji is one, never split
  const units = chars.map((ch) =>
    encoding === "GSM-7" ? (GSM7_EXTENSION.has(ch) ? 2 : 1) : (ch.codePointAt(0) ?? 0) > 0xffff ? 2 : 1,
  );
  const length = units.reduce((sum, size) => sum + size, 0);
  if (length === 0) return { encoding, length: 0, segments: 0, characters: 0 };
  if (length <= SINGLE[encoding]) return { encoding, length, segments: 1, characters: chars.length };
  let segments = 1;
  let used = 0;
  for (const size of units) {
    if (used + size > MULTI[encoding]) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return { encoding, length, segments, characters: chars.length };
}

/**
 * The template with `%Name%` replaced by `values` (names matched case-insensitively, as the
 * notifier does); an unknown `%word%` and a lone percent sign stay as typed. HTML numeric codes
 * of emoji (`&#128512;`, as the desktop client wrote them) become the emoji.
 */
export function renderTemplate(template: string, values: Record<string, string>): string {
  const byName = new Map(Object.entries(values).map(([name, value]) => [name.toLowerCase(), value]));
  return template
    .replace(/%([A-Za-z][A-Za-z0-9_]*)%/g, (whole, name: string) => byName.get(name.toLowerCase()) ?? whole)
    .replace(/&#(\d{1,7});/g, (whole, code: string) => {
      const point = Number(code);
      return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : whole;
    });
}

/** The `%Name%` tokens a template uses, in order of first use, as typed. */
export function parametersIn(template: string): string[] {
  return [...new Set([...template.matchAll(/%([A-Za-z][A-Za-z0-9_]*)%/g)].map((match) => match[1]))];
}
