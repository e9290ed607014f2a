/** The typed API client: generated from the gateway's OpenAPI (`make web-api`), with the session's token. */
import createClient from "openapi-fetch";
import i18n from "../i18n";
import { authorizedFetch } from "../auth/session";
import type { components, paths } from "./schema";

/**
 * A GET the page's first script already sent (`boot.ts`) takes that answer when it came back
 * good; anything else goes to the server as usual.
 */
async function earlyOrFetch(request: Request): Promise<Response> {
  const early = request.method === "GET" ? globalThis.window?.clinicEarlyReads?.take(request.url) : undefined;
  if (early) {
    const response = await early.catch(() => undefined);
    if (response?.ok) return response;
  }
  return authorizedFetch(request);
}

export const api = createClient<paths>({
  baseUrl: "",
  fetch: earlyOrFetch,
  credentials: "same-origin",
});

// Problems come back in the UI's language (the API's default is Russian).
api.use({
  onRequest({ request }) {
    request.headers.set("Accept-Language", i18n.language === "en" ? "en" : "ru");
    return request;
  },
});

export type Schemas = components["schemas"];
