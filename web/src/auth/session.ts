/**
 * The login session: the access token lives in memory only (a front-desk computer is shared;
 * nothing readable by scripts is kept), the refresh token in the gateway's HttpOnly cookie
 * (path /api/auth). A reload restores the session with one refresh; a 401 refreshes once and
 * repeats the call; a refused refresh ends the session (the login screen shows).
 */

type Listener = () => void;

let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<Listener>();

export function currentToken(): string | null {
  return accessToken;
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function setToken(token: string | null): void {
  if (token === accessToken) return;
  accessToken = token;
  for (const listener of listeners) listener();
}

export class LoginRefused extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export async function login(username: string, password: string, language: string): Promise<void> {
  const response = await fetch("/api/auth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept-Language": language },
    body: new URLSearchParams({ username, password }),
    credentials: "same-origin",
  });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new LoginRefused(response.status, body.detail || body.title || `HTTP ${response.status}`);
  }
  setToken((await response.json()).access_token);
}

/** The refresh `src/boot.ts` started as the page opened, once: a refresh token is used only once. */
function takeEarlyRefresh(): Promise<Response> | undefined {
  const early = globalThis.window?.clinicEarlyRefresh;
  if (early) delete globalThis.window.clinicEarlyRefresh;
  return early;
}

/** A new access token from the refresh cookie; false when the session has ended. One at a time. */
export function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const response = await (takeEarlyRefresh() ?? fetch("/api/auth/refresh", { method: "POST", credentials: "same-origin" }));
      if (!response.ok) {
        setToken(null);
        return false;
      }
      setToken((await response.json()).access_token);
      return true;
    } catch {
      return false; // the network, not the session: keep what we have
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export async function logout(): Promise<void> {
  const token = accessToken;
  setToken(null);
  await fetch("/api/auth/logout", {
    method: "POST",
    credentials: "same-origin",
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  }).catch(() => undefined);
}

/**
 * `fetch` with the session's token: on a 401 the token is refreshed once and the request sent
 * again (a clone kept before the first try, so a body is sent twice intact).
 */
export async function authorizedFetch(input: Request): Promise<Response> {
  const retry = input.clone();
  const first = await fetch(withToken(input));
  if (first.status !== 401 || !(await refresh())) return first;
  return fetch(withToken(retry));
}

function withToken(request: Request): Request {
  if (accessToken) request.headers.set("Authorization", `Bearer ${accessToken}`);
  return request;
}
