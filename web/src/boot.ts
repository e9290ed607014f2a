/**
 * The first script of the page, before the app's own code is downloaded and parsed: it asks for
 * the session's access token at once (a reload's first wait), and `auth/session.ts` takes the
 * answer instead of asking again (a refresh token is good for one use only).
 */
declare global {
  interface Window {
    clinicEarlyRefresh?: Promise<Response>;
  }
}

window.clinicEarlyRefresh = fetch("/api/auth/refresh", { method: "POST", credentials: "same-origin" });

export {};
