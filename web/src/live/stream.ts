/**
 * The live connection: `GET /api/events/stream`, reconnecting with `Last-Event-ID` after a
 * drop (the gateway replays what was missed within its retention), refreshing the token when
 * the gateway ends the stream with `reconnect`, and telling the screen when it is offline.
 */
import { currentToken, refresh } from "../auth/session";
import { SseParser } from "./sse";

export type LiveState = "connecting" | "online" | "offline";

export interface LiveEvent {
  id?: string;
  type: string;
  aggregateId?: string;
  data: Record<string, unknown>;
}

export interface LiveHandlers {
  event(event: LiveEvent): void;
  /** Everything shown may be stale: the gateway could not replay (`reset`) or we were offline. */
  resync(): void;
  state(state: LiveState): void;
}

const SILENCE_MS = 40_000; // the gateway sends a heartbeat every 15 s
const MAX_BACKOFF_MS = 10_000;

export function connectLive(handlers: LiveHandlers): () => void {
  const stopped = new AbortController();
  let lastId: string | undefined;
  void (async () => {
    let backoff = 500;
    let wasOffline = false;
    handlers.state("connecting");
    while (!stopped.signal.aborted) {
      const attempt = new AbortController();
      const abort = () => attempt.abort();
      stopped.signal.addEventListener("abort", abort);
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      const feed = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(abort, SILENCE_MS);
      };
      try {
        const headers: Record<string, string> = { Accept: "text/event-stream" };
        const token = currentToken();
        if (token) headers.Authorization = `Bearer ${token}`;
        if (lastId) headers["Last-Event-ID"] = lastId;
        feed();
        const response = await fetch("/api/events/stream", { headers, signal: attempt.signal, cache: "no-store" });
        if (response.status === 401) {
          if (!(await refresh())) return; // the session ended: the app shows the login screen
          continue;
        }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        handlers.state("online");
        backoff = 500;
        if (wasOffline) handlers.resync();
        wasOffline = false;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        const parser = new SseParser();
        let reconnectNow = false;
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          feed();
          for (const frame of parser.push(value)) {
            if (frame.id) lastId = frame.id;
            if (frame.event === "reconnect") {
              reconnectNow = true;
              await refresh();
            } else if (frame.event === "reset") {
              handlers.resync();
            } else if (frame.event !== "message" && frame.data) {
              const body = JSON.parse(frame.data) as { type?: string; aggregate_id?: string; data?: Record<string, unknown> };
              handlers.event({
                id: frame.id,
                type: body.type ?? frame.event,
                aggregateId: body.aggregate_id,
                data: body.data ?? {},
              });
            }
          }
          if (reconnectNow) break;
        }
        if (reconnectNow) continue;
        throw new Error("the stream ended");
      } catch {
        if (stopped.signal.aborted) return;
        wasOffline = true;
        handlers.state("offline");
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      } finally {
        clearTimeout(watchdog);
        stopped.signal.removeEventListener("abort", abort);
      }
    }
  })();
  return () => stopped.abort();
}
