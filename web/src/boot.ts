/**
 * The first script of the page, before the app's own code is downloaded and parsed (a cold load
 * spends a few hundred ms there). It asks for the session's access token at once, and with that
 * token for the reads the first screen will make, so that the server works while the browser
 * compiles. The app takes these answers instead of asking again: `auth/session.ts` the refresh
 * (a refresh token is good for one use only), `api/client.ts` each read, matched by its address.
 *
 * Kept without imports: it is its own small chunk, loaded first.
 */
declare global {
  interface Window {
    clinicEarlyRefresh?: Promise<Response>;
    clinicEarlyReads?: EarlyReads;
  }
}

export interface EarlyReads {
  /** The early answer for this address, once; undefined when none was asked for (or it is late). */
  take(url: string): Promise<Response> | undefined;
}

/** The clinic's zone as the last session read it (`lib/clinic.tsx` keeps it): today's date needs it. */
export const ZONE_KEY = "clinic.zone";
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ALL = "limit=500";
const CALENDAR = "/api/scheduling/calendar?";
/** The schedule's addresses (`/` opens it): the screen most loads open on. */
export const SCHEDULE_PATH = /^\/(schedule)?$/;
const UNCLAIMED_AFTER_MS = 15_000;

/** An address in one spelling: path and its query parameters sorted, whatever order they came in. */
export function readKey(url: string, origin: string): string {
  const parsed = new URL(url, origin);
  const params = [...parsed.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${parsed.pathname}?${new URLSearchParams(params)}`;
}

function todayIn(zone: string | null): string | null {
  if (!zone) return null;
  try {
    // en-CA writes dates as 2026-12-07.
    return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  } catch {
    return null; // a zone this browser does not know: the app asks once it has the settings
  }
}

/**
 * What the screen at `location` reads first, as the app's own client spells it (the same
 * parameters; their order does not matter). Every screen reads the clinic's settings (first in
 * the list); the schedule's day view also its calendar, doctors, filters and waiting list.
 */
export function firstScreenReads(location: Pick<Location, "pathname" | "search">, storedZone: string | null): string[] {
  const reads = ["/api/platform/settings"];
  if (!SCHEDULE_PATH.test(location.pathname)) return reads;
  const params = new URLSearchParams(location.search);
  if ((params.get("days") ?? "1") !== "1") return reads; // several days show one doctor, chosen later
  reads.push(`/api/scheduling/doctors?${ALL}&active=true`, `/api/scheduling/buildings?${ALL}`, `/api/scheduling/specializations?${ALL}`);
  const asked = params.get("date") ?? "";
  const date = DATE.test(asked) ? asked : todayIn(storedZone);
  if (!date) return reads;
  const building = params.get("building");
  reads.push(`${CALENDAR}date_from=${date}&date_to=${date}${building ? `&building_id=${encodeURIComponent(building)}` : ""}`);
  reads.push(`/api/scheduling/waitlist?date=${date}&${ALL}`);
  return reads;
}

function storedZone(): string | null {
  try {
    return window.localStorage.getItem(ZONE_KEY);
  } catch {
    return null;
  }
}

function start(): void {
  const refresh = fetch("/api/auth/refresh", { method: "POST", credentials: "same-origin" });
  window.clinicEarlyRefresh = refresh;
  // The refresh's body is the app's to read: the token is read from a copy.
  const token = refresh.then((response) => (response.ok ? response.clone().json() : null)).then((body) => body?.access_token ?? null);
  const pending = new Map<string, Promise<Response>>();
  const ask = (url: string, after: Promise<unknown>) => {
    const read = Promise.all([token, after]).then(([access]) => {
      if (!access) throw new Error("no session");
      return fetch(url, { headers: { Authorization: `Bearer ${access}` }, credentials: "same-origin" });
    });
    read.catch(() => undefined); // an unclaimed failure is not an error of the page
    pending.set(readKey(url, window.location.origin), read);
    return read;
  };
  // The day's calendar is what the screen waits for: it goes first, with the settings (nothing
  // shows without the clinic's zone); the lists that only fill filters follow once it is answered,
  // rather than share the server's time with it.
  const [settings, ...others] = firstScreenReads(window.location, storedZone());
  const calendar = others.find((url) => url.startsWith(CALENDAR));
  ask(settings, Promise.resolve());
  const first = calendar ? ask(calendar, Promise.resolve()).catch(() => undefined) : Promise.resolve();
  for (const url of others) if (url !== calendar) ask(url, first);
  window.clinicEarlyReads = {
    take(url) {
      const key = readKey(url, window.location.origin);
      const read = pending.get(key);
      pending.delete(key);
      return read;
    },
  };
  // A read nobody asked for in time is old news: later asks go to the server.
  setTimeout(() => pending.clear(), UNCLAIMED_AFTER_MS);
}

if (typeof window !== "undefined" && typeof document !== "undefined") start();
