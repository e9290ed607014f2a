/**
 * Query keys, one place: the live stream invalidates by these, so every screen that shows the
 * same data must use the same key prefix.
 */
export const keys = {
  platform: ["platform-settings"] as const,
  calendar: ["calendar"] as const, // + params
  appointments: ["appointments"] as const, // searches and lists of appointments, + params
  appointment: (id: string) => ["appointment", id] as const, // + "history" | "statuses"
  trash: ["trash"] as const,
  waitlist: ["waitlist"] as const,
  patients: ["patients"] as const, // card searches, + params
  card: (id: string) => ["card", id] as const, // + "history" | "discount-cards"
  directory: (name: string) => ["directory", name] as const,
  schedulingSettings: ["scheduling-settings"] as const,
};

/** The query keys an event of this type makes stale. */
export function staleKeysOf(eventType: string, aggregateId: string | undefined): (readonly string[])[] {
  if (eventType.startsWith("appointment.")) {
    const own = aggregateId ? [keys.appointment(aggregateId)] : [];
    return [keys.calendar, keys.appointments, keys.trash, keys.waitlist, ...own];
  }
  if (eventType.startsWith("waitlist")) return [keys.waitlist];
  if (eventType.startsWith("patient.") || eventType.startsWith("discount_card.")) {
    return [keys.patients, ...(aggregateId ? [keys.card(aggregateId)] : [])];
  }
  return [];
}
