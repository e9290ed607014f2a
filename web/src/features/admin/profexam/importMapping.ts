/**
 * The Excel import's column mapping (field → column letter), as `POST /exams/{id}/imports`
 * takes it: omitted keys take the template's layout, `null` leaves a column out.
 */
export const COLUMN_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("");

export const MAPPED_FIELDS = [
  "last_name",
  "first_name",
  "middle_name",
  "birth_date",
  "sex",
  "phone",
  "position",
  "department",
  "harmful_factors",
  "exam_type",
  "working_conditions",
] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

/** Last name, first name and birth date cannot be left out. */
export const REQUIRED_FIELDS: readonly MappedField[] = ["last_name", "first_name", "birth_date"];

export interface ImportMapping {
  columns: Record<MappedField, string>; // "" = not imported
  firstRow: string;
  lastRow: string;
  sheet: string;
  calculationId: string;
}

/** The template's layout (`GET /import-template.xlsx`): A…K, data from row 2. */
export function defaultMapping(): ImportMapping {
  const columns = Object.fromEntries(MAPPED_FIELDS.map((field, index) => [field, COLUMN_LETTERS[index]])) as Record<
    MappedField,
    string
  >;
  return { columns, firstRow: "2", lastRow: "", sheet: "", calculationId: "" };
}

/** The JSON the API's `mapping` form field takes. */
export function mappingJson(mapping: ImportMapping): string {
  const body: Record<string, string | number | null> = {};
  for (const field of MAPPED_FIELDS) body[field] = mapping.columns[field] || null;
  body.first_row = Number(mapping.firstRow) || 2;
  body.last_row = mapping.lastRow.trim() ? Number(mapping.lastRow) : null;
  const sheet = mapping.sheet.trim();
  body.sheet = sheet ? (/^\d+$/.test(sheet) ? Number(sheet) : sheet) : null;
  body.calculation_id = mapping.calculationId || null;
  return JSON.stringify(body);
}

/** Letters used by two fields: the same column cannot be two things. */
export function duplicateLetters(mapping: ImportMapping): Set<string> {
  const seen = new Map<string, number>();
  for (const field of MAPPED_FIELDS) {
    const letter = mapping.columns[field];
    if (letter) seen.set(letter, (seen.get(letter) ?? 0) + 1);
  }
  return new Set([...seen].filter(([, count]) => count > 1).map(([letter]) => letter));
}
