/** The typed API client: generated from the gateway's OpenAPI (`make web-api`), with the session's token. */
import createClient from "openapi-fetch";
import i18n from "../i18n";
import { authorizedFetch } from "../auth/session";
import type { components, paths } from "./schema";

export const api = createClient<paths>({
  baseUrl: "",
  fetch: authorizedFetch,
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
