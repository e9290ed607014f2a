/**
 * The edit form's pure rules: what a form starts with, what body it sends, which item a search
 * finds, where the API's field errors go. Kept apart from React so Vitest checks them.
 */
import type { DirectoryDescription, FieldDescription } from "./descriptions";

export type FormValue = string | boolean | string[];
export type FormValues = Record<string, FormValue>;
export type Item = Record<string, unknown> & { id: string; active: boolean };

function startValue(field: FieldDescription, raw: unknown): FormValue {
  switch (field.kind) {
    case "boolean":
      return typeof raw === "boolean" ? raw : field.initial === true;
    case "multiselect":
      return Array.isArray(raw) ? raw.map(String) : [];
    case "colour":
      // <input type=color> speaks lower case only
      return typeof raw === "string" ? raw.toLowerCase() : String(field.initial ?? "#ffffff");
    default:
      return raw === null || raw === undefined ? String(field.initial ?? "") : String(raw);
  }
}

/** The form of an existing item, or of a new one (the description's initial values). */
export function initialValues(description: DirectoryDescription, item?: Item): FormValues {
  return Object.fromEntries(description.fields.map((field) => [field.name, startValue(field, item?.[field.name])]));
}

/** What the API gets for one field: null for an empty optional one (PATCH clears it with null). */
function sendValue(field: FieldDescription, value: FormValue): unknown {
  if (field.kind === "boolean" || field.kind === "multiselect") return value;
  const text = String(value).trim();
  if (text === "") return field.required ? "" : null; // a required empty field goes, so the API names it
  if (field.kind === "colour") return text.toUpperCase(); // as the clinic's existing colours are written
  if (field.kind === "money") return text.replace(",", ".").replace(/\s/g, "");
  if (field.kind === "number") return /^\d+$/.test(text) ? Number(text) : text;
  return text;
}

function same(a: FormValue, b: FormValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && [...a].sort().join() === [...b].sort().join();
  return a === b;
}

/**
 * The body to send: every field of a new item (empty optional ones left out), only the changed
 * fields of an existing one (`before` = its form when opened), so a PATCH never touches what the
 * user did not change (a reserved deletion reason's name, a system record type's code).
 */
export function bodyOf(description: DirectoryDescription, values: FormValues, before?: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of description.fields) {
    const value = values[field.name] ?? startValue(field, undefined);
    if (before && same(value, before[field.name] ?? startValue(field, undefined))) continue;
    const sent = sendValue(field, value);
    if (!before && sent === null) continue;
    body[field.name] = sent;
  }
  return body;
}

/** Whether an item matches the search box: every word in one of the description's search fields. */
export function matches(description: DirectoryDescription, item: Item, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = description.searchIn
    .map((name) => item[name])
    .filter((value) => value !== null && value !== undefined)
    .join(" ")
    .toLowerCase();
  return words.every((word) => text.includes(word));
}

/**
 * The API's field errors by form field: `specialization_ids.2` (one bad id in a list) belongs
 * to the `specialization_ids` control; a field the form does not have goes to the form's message.
 */
export function errorsByField(
  description: DirectoryDescription,
  errors: readonly { field: string; message: string }[],
): { fields: Record<string, string>; other: string[] } {
  const names = new Set(description.fields.map((field) => field.name));
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const error of errors) {
    const parts = error.field.split(".");
    const name = parts.find((part) => names.has(part));
    if (name) fields[name] ??= error.message;
    else other.push(error.message);
  }
  return { fields, other };
}
