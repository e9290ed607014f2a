import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { keys, staleKeysOf } from "../api/keys";
import type { CalendarData } from "../features/schedule/calendarModel";
import { patchCalendar } from "./calendarPatch";
import { connectLive, type LiveState } from "./stream";

const LiveContext = createContext<LiveState>("connecting");

/** Keeps what the screens show current: each event makes its queries stale (they refetch at once if
 * shown); an appointment's event also moves it on the calendars already loaded (calendarPatch.ts). */
export function LiveProvider({ children }: { children: ReactNode }) {
  const queries = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");
  useEffect(
    () =>
      connectLive({
        event(event) {
          if (event.type.startsWith("appointment.")) {
            // Shown at once from the event itself; the refetch below completes it.
            queries.setQueriesData<CalendarData>({ queryKey: keys.calendar }, (calendar) =>
              calendar ? patchCalendar(calendar, event.data) : calendar,
            );
          }
          for (const key of staleKeysOf(event.type, event.aggregateId)) {
            void queries.invalidateQueries({ queryKey: key });
          }
        },
        resync() {
          void queries.invalidateQueries();
        },
        state: setState,
      }),
    [queries],
  );
  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}

export function useLiveState(): LiveState {
  return useContext(LiveContext);
}
