/**
 * Pure rules of the appointment's card: the WhatsApp link of a phone (SCH-17) and how a change
 * journal entry (SCH-10) reads for a person. Kept apart from React so they are tested alone.
 */
import { clinicDateTime, formatDate } from "../../lib/time";

/** "https://wa.me/79229999999" for a Russian mobile written any way; null when it is not a phone. */
export function whatsappUrl(phone: string | null | undefined): string | null {
  let digits = (phone ?? "").replace(/\D/g, "");
  if (digits.length === 11 && digits.startsWith("8")) digits = `7${digits.slice(1)}`;
  if (digits.length === 10 && digits.startsWith("9")) digits = `7${digits}`;
  return digits.length >= 11 && digits.length <= 15 ? `https://wa.me/${digits}` : null;
}

/** "+79229999999": the phone as the source copies it, with the country code. */
export function phoneWithCountryCode(phone: string | null | undefined): string | null {
  const url = whatsappUrl(phone);
  return url ? `+${url.slice("https://wa.me/".length)}` : null;
}

/** One `{field, from, to, from_name?, to_name?}` of the journal, as the API gives it. */
export type JournalChange = Record<string, unknown>;

export interface JournalWords {
  yes: string;
  no: string;
  /** shown for a linked card (the journal keeps only the card's id) */
  card: string;
}

export interface ReadableChange {
  field: string;
  from: string;
  to: string;
}

const EMPTY = "—";
const TIME_FIELDS = new Set(["start", "end"]);
const DATE_FIELDS = new Set(["birth_date"]);

function serviceLines(value: unknown): string {
  if (!Array.isArray(value) || value.length === 0) return EMPTY;
  return value
    .map((line: Record<string, unknown>) => {
      const name = (line.name as string | null | undefined) ?? String(line.service_id ?? "");
      const quantity = Number(line.quantity ?? 1);
      const price = line.price !== undefined && line.price !== null ? ` — ${String(line.price)} ₽` : "";
      return `${name}${quantity !== 1 ? ` × ${quantity}` : ""}${price}`;
    })
    .join("; ");
}

function plain(value: unknown, words: JournalWords): string {
  if (value === null || value === undefined || value === "") return EMPTY;
  if (typeof value === "boolean") return value ? words.yes : words.no;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function side(change: JournalChange, which: "from" | "to", zone: string, words: JournalWords): string {
  const field = String(change.field ?? "");
  const value = change[which];
  if (value === null || value === undefined || value === "") return EMPTY;
  if (TIME_FIELDS.has(field) && typeof value === "string") return clinicDateTime(value, zone);
  if (DATE_FIELDS.has(field) && typeof value === "string") return formatDate(value.slice(0, 10));
  if (field === "services") return serviceLines(value);
  if (field === "patient_id") return words.card;
  // A reference keeps the item's name as it was then (null when the item is gone).
  const name = change[`${which}_name`];
  if (`${which}_name` in change) return typeof name === "string" && name ? name : plain(value, words);
  return plain(value, words);
}

/** A journal change as "field: old → new", on the clinic's clock. */
export function readableChange(change: JournalChange, zone: string, words: JournalWords): ReadableChange {
  return {
    field: String(change.field ?? ""),
    from: side(change, "from", zone, words),
    to: side(change, "to", zone, words),
  };
}

/**
 * The changes worth showing: the ones whose value really changed. A creation lists only the
 * fields it filled in (its "from" is empty everywhere).
 */
export function readableChanges(changes: JournalChange[], zone: string, words: JournalWords): ReadableChange[] {
  return changes
    .map((change) => readableChange(change, zone, words))
    .filter((change) => change.from !== change.to && !(change.from === EMPTY && change.to === EMPTY));
}

/** The digits to type into a "tel:" link. */
export function telHref(phone: string): string {
  return `tel:+${phone.replace(/\D/g, "")}`;
}
