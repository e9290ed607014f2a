/**
 * Pure rules of «Пациенты»: what the one search box means, how a phone is shown, which card
 * fields the required-data policy (PAT-2) marks, and what a card form sends.
 */
import type { Schemas } from "../../api/client";
import type { ApiProblem } from "../../lib/problem";

export type Card = Schemas["PatientsCardRead"];
export type CardSettings = Schemas["PatientsCardSettingsRead"];

/** How the search box is read: «Авто» guesses from the text, the others force one filter. */
export type SearchMode = "auto" | "name" | "phone" | "card" | "birth";
export const SEARCH_MODES: SearchMode[] = ["auto", "name", "phone", "card", "birth"];

export interface CardQuery {
  q?: string;
  phone?: string;
  birth_date?: string;
  card_number?: string;
}

const RU_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** "7.3.1985" or "1985-03-07" → "1985-03-07"; anything else → null. */
export function parseDate(text: string): string | null {
  const value = text.trim();
  if (ISO_DATE.test(value)) return value;
  const match = RU_DATE.exec(value);
  if (!match) return null;
  const [, day, month, year] = match;
  const iso = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  const check = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== iso ? null : iso;
}

/** Card numbers are short ("000123"); a phone (or its last digits, typed with + ( ) -) is longer. */
const CARD_NUMBER_MAX_DIGITS = 6;
const PHONE_CHARS = /^[+\d\s()-]+$/;

/**
 * The query parameters of GET /api/patients/cards for what was typed.
 * Auto: a date is the birth date; "№12" is a card number; up to 6 bare digits are a card number;
 * more digits, or digits with + ( ) - and spaces, are a phone; words are name prefixes, and a
 * date among words narrows by birth date ("Иванов 07.03.1985").
 */
export function cardQuery(text: string, mode: SearchMode = "auto"): CardQuery {
  const value = text.trim().replace(/\s+/g, " ");
  if (!value) return {};
  switch (mode) {
    case "name":
      return { q: value };
    case "phone":
      return { phone: value };
    case "card":
      return { card_number: value.replace(/^[№#]\s*/, "") };
    case "birth":
      return { birth_date: parseDate(value) ?? value };
  }
  const numbered = /^[№#]\s*(\S+)$/.exec(value);
  if (numbered) return { card_number: numbered[1] };
  const date = parseDate(value);
  if (date) return { birth_date: date };
  if (/^\d+$/.test(value)) {
    return value.length <= CARD_NUMBER_MAX_DIGITS ? { card_number: value } : { phone: value };
  }
  if (PHONE_CHARS.test(value) && /\d/.test(value)) return { phone: value };
  const words: string[] = [];
  const query: CardQuery = {};
  for (const word of value.split(" ")) {
    const asDate = parseDate(word);
    if (asDate) query.birth_date = asDate;
    else words.push(word);
  }
  if (words.length) query.q = words.join(" ");
  return query;
}

/** "79161234567" → "+7 (916) 123-45-67"; other numbers get a "+" only; nothing → "". */
export function formatPhone(digits: string | null | undefined): string {
  if (!digits) return "";
  const bare = digits.replace(/\D/g, "");
  const ru = /^7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(bare);
  if (ru) return `+7 (${ru[1]}) ${ru[2]}-${ru[3]}-${ru[4]}`;
  return bare ? `+${bare}` : digits;
}

/** The card's fields a form edits, as the inputs hold them. */
export interface CardForm {
  last_name: string;
  first_name: string;
  middle_name: string;
  birth_date: string;
  sex: "" | "male" | "female";
  mobile_phone: string;
  email: string;
  other_phones: string; // one a line
  address: string;
  vip: boolean;
  note: string;
}

export type CardField = keyof CardForm;

export const EMPTY_FORM: CardForm = {
  last_name: "",
  first_name: "",
  middle_name: "",
  birth_date: "",
  sex: "",
  mobile_phone: "",
  email: "",
  other_phones: "",
  address: "",
  vip: false,
  note: "",
};

export function formOfCard(card: Card): CardForm {
  return {
    last_name: card.last_name,
    first_name: card.first_name,
    middle_name: card.middle_name ?? "",
    birth_date: card.birth_date ?? "",
    sex: card.sex ?? "",
    mobile_phone: formatPhone(card.mobile_phone),
    email: card.email ?? "",
    other_phones: card.other_phones.map(formatPhone).join("\n"),
    address: card.address ?? "",
    vip: card.vip,
    note: card.note ?? "",
  };
}

function phonesOf(text: string): string[] {
  return text
    .split(/[\n,;]+/)
    .map((phone) => phone.trim())
    .filter(Boolean);
}

function orNull(text: string): string | null {
  const value = text.trim();
  return value ? value : null;
}

/** The body of POST /api/patients/cards: empty fields left out (sex then follows the patronymic, PAT-6). */
export function createBody(form: CardForm): Schemas["PatientsCardCreate"] {
  const body: Schemas["PatientsCardCreate"] = {
    last_name: form.last_name.trim(),
    first_name: form.first_name.trim(),
    vip: form.vip,
  };
  if (orNull(form.middle_name)) body.middle_name = form.middle_name.trim();
  if (form.birth_date) body.birth_date = form.birth_date;
  if (form.sex) body.sex = form.sex;
  if (orNull(form.mobile_phone)) body.mobile_phone = form.mobile_phone.trim();
  if (orNull(form.email)) body.email = form.email.trim();
  const others = phonesOf(form.other_phones);
  if (others.length) body.other_phones = others;
  if (orNull(form.address)) body.address = form.address.trim();
  if (orNull(form.note)) body.note = form.note.trim();
  return body;
}

/**
 * The body of PATCH /api/patients/cards/{id}: only the fields changed since the form was filled
 * (so a phone shown formatted is not sent back unchanged). A cleared name is sent as "" so the API
 * names it; other cleared fields become null.
 */
export function patchBody(initial: CardForm, form: CardForm): Schemas["PatientsCardUpdate"] {
  const body: Schemas["PatientsCardUpdate"] = {};
  if (form.last_name !== initial.last_name) body.last_name = form.last_name.trim();
  if (form.first_name !== initial.first_name) body.first_name = form.first_name.trim();
  if (form.middle_name !== initial.middle_name) body.middle_name = orNull(form.middle_name);
  if (form.birth_date !== initial.birth_date) body.birth_date = form.birth_date || null;
  if (form.sex !== initial.sex) body.sex = form.sex || null;
  if (form.mobile_phone !== initial.mobile_phone) body.mobile_phone = orNull(form.mobile_phone);
  if (form.email !== initial.email) body.email = orNull(form.email);
  if (form.other_phones !== initial.other_phones) body.other_phones = phonesOf(form.other_phones);
  if (form.address !== initial.address) body.address = orNull(form.address);
  if (form.vip !== initial.vip) body.vip = form.vip;
  if (form.note !== initial.note) body.note = orNull(form.note);
  return body;
}

/**
 * Which fields the policy marks as required. 'contact' means a mobile phone or an e-mail: both are
 * marked "one of" rather than required each. Off → nothing is marked (the API then requires only
 * the last and first name, which are always marked).
 */
export interface RequiredMarks {
  required: Set<CardField>;
  oneOf: Set<CardField>;
}

export function requiredMarks(settings: Pick<CardSettings, "required_fields_enabled" | "required_fields"> | undefined): RequiredMarks {
  const required = new Set<CardField>(["last_name", "first_name"]);
  const oneOf = new Set<CardField>();
  if (settings?.required_fields_enabled) {
    for (const field of settings.required_fields) {
      if (field === "contact") {
        oneOf.add("mobile_phone");
        oneOf.add("email");
      } else if (field in EMPTY_FORM) required.add(field as CardField);
    }
  }
  return { required, oneOf };
}

/** "Иванова Мария Петровна". */
export function fullName(card: Pick<Card, "last_name" | "first_name" | "middle_name">): string {
  return [card.last_name, card.first_name, card.middle_name].filter(Boolean).join(" ");
}

// ——— ONDOC attach code (OND-2) ———

/** "123456789" → "123 456 789": easier to read out over the desk. */
export function groupCode(code: string): string {
  return code.replace(/(\d{3})(?=\d)/g, "$1 ");
}

/** What ONDOC says the card lacks, by card field ('contact' = the mobile phone or the e-mail). */
export function missingForOndoc(problem: ApiProblem): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const error of problem.body.errors ?? []) {
    const fields = error.field === "contact" ? ["mobile_phone", "email"] : [error.field.split(".").at(-1) ?? error.field];
    for (const field of fields) byField[field] ??= error.message;
  }
  return byField;
}
