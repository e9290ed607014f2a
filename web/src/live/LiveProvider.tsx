import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { staleKeysOf } from "../api/keys";
import { connectLive, type LiveState } from "./stream";

const LiveContext = createContext<LiveState>("connecting");

/** Keeps what the screens show current: each event makes its queries stale (they refetch at once if shown). */
export function LiveProvider({ children }: { children: ReactNode }) {
  const queries = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");
  useEffect(
    () =>
      connectLive({
        event(event) {
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
