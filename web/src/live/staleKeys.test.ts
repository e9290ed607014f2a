import { describe, expect, it } from "vitest";
import { keys, staleKeysOf } from "../api/keys";

// What each live event makes stale (LiveProvider invalidates these): another desk's change shows here.
describe("query keys made stale by a live event", () => {
  it.each(["waitlist_entry.created", "waitlist_entry.deleted", "waitlist_entry.booked"])(
    "%s refreshes the waiting list",
    (type) => {
      expect(staleKeysOf(type, "entry-1")).toEqual([keys.waitlist]);
    },
  );

  it("an appointment's change refreshes the schedule, the lists, the trash, the waiting list and itself", () => {
    expect(staleKeysOf("appointment.updated", "a-1")).toEqual([
      keys.calendar,
      keys.appointments,
      keys.trash,
      keys.waitlist,
      keys.appointment("a-1"),
    ]);
  });

  it("a card's change refreshes the card searches and the card", () => {
    expect(staleKeysOf("patient.updated", "p-1")).toEqual([keys.patients, keys.card("p-1")]);
  });
});
