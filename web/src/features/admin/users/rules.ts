/** Pure rules of «Пользователи и права», apart from React so Vitest checks them. */
import { addDays, zonedIso } from "../../../lib/time";

export interface RightItem {
  right: string;
  /** The API's (English) description, shown when the UI has no translation. */
  description: string;
}

export interface RightGroup {
  service: string;
  rights: RightItem[];
}

/** The catalogue (`{service: {right: description}}`) as groups: services and rights in a stable order. */
export function groupRights(catalogue: Record<string, Record<string, string>>): RightGroup[] {
  return Object.keys(catalogue)
    .sort()
    .map((service) => ({
      service,
      rights: Object.entries(catalogue[service] ?? {})
        .map(([right, description]) => ({ right, description }))
        .sort((a, b) => a.right.localeCompare(b.right)),
    }))
    .filter((group) => group.rights.length > 0);
}

/** A service's name as rights start with it ("ondoc.read" → "ondoc"), whatever the catalogue calls the service. */
export function prefixOf(group: RightGroup): string {
  return group.rights[0]?.right.split(".", 1)[0] ?? group.service;
}

/** Ticking or unticking one right of a role's set. */
export function toggled(rights: readonly string[], right: string, on: boolean): string[] {
  const next = new Set(rights);
  if (on) next.add(right);
  else next.delete(right);
  return [...next].sort();
}

/**
 * The audit log's period as the API takes it: from the start of the first clinic day to the
 * start of the day after the last (the clinic's midnight, not the browser's).
 */
export function auditPeriod(from: string, to: string, zone: string): { since?: string; until?: string } {
  return {
    since: from ? zonedIso(from, "00:00", zone) : undefined,
    until: to ? zonedIso(addDays(to, 1), "00:00", zone) : undefined,
  };
}

/** The i18n key of an audit action ("user.created" → "audit.actions.user.created"). */
export function actionKey(action: string): string {
  return `audit.actions.${action}`;
}

/** Every action the audit log may hold (the gateway's `audit.ACTIONS`), for the action filter. */
export const AUDIT_ACTIONS = [
  "login.succeeded",
  "login.failed",
  "login.throttled",
  "login.unlocked",
  "session.ended",
  "session.refreshed_after_reuse",
  "sessions.ended",
  "user.created",
  "user.updated",
  "user.password_changed",
  "user.deleted",
  "role.created",
  "role.updated",
  "role.deleted",
  "platform.settings_changed",
] as const;

/** An audit entry's details in a line: "roles: reception; claims: —". */
export function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join("; ");
}
