/**
 * The directories of «Справочники» (SCH-1), one description each: where the API keeps them,
 * what the table shows and what the edit form asks. The screen is generic; everything that makes
 * a directory different lives here (field names are the API's body fields, so its 422 errors
 * land next to the right control).
 */

/** The API's directory paths: `/api/scheduling/<name>` (list, create) and `/{item_id}` (get, patch, delete). */
export type DirectoryName =
  | "buildings"
  | "departments"
  | "cabinets"
  | "specializations"
  | "doctors"
  | "services"
  | "appointment-kinds"
  | "info-sources"
  | "record-types"
  | "communication-statuses"
  | "appointment-statuses"
  | "deletion-reasons"
  | "day-types";

export type FieldKind =
  | "text"
  | "textarea"
  | "number" // a whole number (minutes)
  | "money" // a price: up to two decimals, sent as a string so nothing is lost to floats
  | "colour" // "#RRGGBB" through <input type=color>
  | "boolean"
  | "select" // one item of another directory, or none
  | "multiselect"; // several items of another directory

export interface FieldDescription {
  /** The API's body field. */
  name: string;
  /** Key in the "directories" namespace (fields.<key>). */
  label: string;
  kind: FieldKind;
  /** The API refuses the item without it (and PATCH may not clear it). */
  required?: boolean;
  /** For select and multiselect: the directory the ids name. */
  source?: DirectoryName;
  /** The value a new item starts with. */
  initial?: string | boolean;
}

export interface ColumnDescription {
  /** The field of the API's item; a "select"/"multiselect" field's ids are shown as their names. */
  name: string;
  label: string;
  kind: FieldKind;
  source?: DirectoryName;
}

export interface DirectoryDescription {
  name: DirectoryName;
  /** Key in the "directories" namespace (titles.<key>): the source documentation's name of the directory. */
  title: string;
  columns: ColumnDescription[];
  fields: FieldDescription[];
  /** The fields the search box looks in. */
  searchIn: string[];
}

const NAME: FieldDescription = { name: "name", label: "name", kind: "text", required: true };
const ACTIVE: FieldDescription = { name: "active", label: "active", kind: "boolean", initial: true };
const NAME_COLUMN: ColumnDescription = { name: "name", label: "name", kind: "text" };
const ACTIVE_COLUMN: ColumnDescription = { name: "active", label: "active", kind: "boolean" };

/** A directory of names only (departments, specializations, kinds, sources, communication statuses). */
function named(name: DirectoryName, title: string): DirectoryDescription {
  return { name, title, columns: [NAME_COLUMN, ACTIVE_COLUMN], fields: [NAME, ACTIVE], searchIn: ["name"] };
}

export const DIRECTORIES: DirectoryDescription[] = [
  {
    name: "doctors",
    title: "doctors",
    columns: [
      { name: "name", label: "fullName", kind: "text" },
      { name: "specialization_ids", label: "specializations", kind: "multiselect", source: "specializations" },
      { name: "building_id", label: "building", kind: "select", source: "buildings" },
      { name: "phone", label: "phone", kind: "text" },
      { name: "online_booking", label: "onlineBooking", kind: "boolean" },
      ACTIVE_COLUMN,
    ],
    fields: [
      { name: "last_name", label: "lastName", kind: "text", required: true },
      { name: "first_name", label: "firstName", kind: "text", required: true },
      { name: "middle_name", label: "middleName", kind: "text" },
      { name: "specialization_ids", label: "specializations", kind: "multiselect", source: "specializations" },
      { name: "building_id", label: "building", kind: "select", source: "buildings" },
      { name: "department_id", label: "department", kind: "select", source: "departments" },
      { name: "phone", label: "phone", kind: "text" },
      { name: "academic_degree", label: "degree", kind: "text" },
      { name: "online_booking", label: "onlineBooking", kind: "boolean", initial: false },
      ACTIVE,
      { name: "note", label: "note", kind: "textarea" },
    ],
    searchIn: ["name", "phone"],
  },
  named("specializations", "specializations"),
  {
    name: "buildings",
    title: "buildings",
    columns: [NAME_COLUMN, { name: "address", label: "address", kind: "text" }, { name: "phone", label: "phone", kind: "text" }, ACTIVE_COLUMN],
    fields: [NAME, { name: "address", label: "address", kind: "text" }, { name: "phone", label: "phone", kind: "text" }, ACTIVE],
    searchIn: ["name", "address"],
  },
  named("departments", "departments"),
  {
    name: "cabinets",
    title: "cabinets",
    columns: [
      NAME_COLUMN,
      { name: "building_id", label: "building", kind: "select", source: "buildings" },
      { name: "department_id", label: "department", kind: "select", source: "departments" },
      ACTIVE_COLUMN,
    ],
    fields: [
      NAME,
      { name: "building_id", label: "building", kind: "select", source: "buildings" },
      { name: "department_id", label: "department", kind: "select", source: "departments" },
      ACTIVE,
    ],
    searchIn: ["name"],
  },
  {
    name: "services",
    title: "services",
    columns: [
      { name: "code", label: "code", kind: "text" },
      NAME_COLUMN,
      { name: "group", label: "group", kind: "text" },
      { name: "price", label: "price", kind: "money" },
      { name: "duration_minutes", label: "minutes", kind: "number" },
      ACTIVE_COLUMN,
    ],
    fields: [
      { name: "code", label: "code", kind: "text", required: true },
      NAME,
      { name: "group", label: "group", kind: "text" },
      { name: "price", label: "price", kind: "money", required: true, initial: "0" },
      { name: "duration_minutes", label: "minutes", kind: "number" },
      ACTIVE,
    ],
    searchIn: ["code", "name", "group"],
  },
  named("appointment-kinds", "appointmentKinds"),
  named("info-sources", "infoSources"),
  {
    name: "record-types",
    title: "recordTypes",
    columns: [NAME_COLUMN, { name: "code", label: "code", kind: "text" }, { name: "system", label: "system", kind: "boolean" }, ACTIVE_COLUMN],
    fields: [NAME, { name: "code", label: "code", kind: "text", required: true }, ACTIVE],
    searchIn: ["name", "code"],
  },
  named("communication-statuses", "communicationStatuses"),
  {
    name: "appointment-statuses",
    title: "appointmentStatuses",
    columns: [NAME_COLUMN, { name: "colour", label: "colour", kind: "colour" }, { name: "sets_processed", label: "processed", kind: "boolean" }, ACTIVE_COLUMN],
    fields: [
      NAME,
      { name: "colour", label: "colour", kind: "colour", required: true, initial: "#ffffff" },
      { name: "sets_processed", label: "processed", kind: "boolean", initial: false },
      ACTIVE,
    ],
    searchIn: ["name"],
  },
  {
    name: "deletion-reasons",
    title: "deletionReasons",
    columns: [NAME_COLUMN, { name: "reserved", label: "reserved", kind: "boolean" }, ACTIVE_COLUMN],
    fields: [NAME, ACTIVE],
    searchIn: ["name"],
  },
  {
    name: "day-types",
    title: "dayTypes",
    columns: [NAME_COLUMN, { name: "colour", label: "colour", kind: "colour" }, ACTIVE_COLUMN],
    fields: [NAME, { name: "colour", label: "colour", kind: "colour", required: true, initial: "#ffffff" }, ACTIVE],
    searchIn: ["name"],
  },
];

export function directoryByName(name: string | undefined): DirectoryDescription | undefined {
  return DIRECTORIES.find((directory) => directory.name === name);
}
