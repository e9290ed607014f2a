/** What «Онлайн-запись» loads: the doctor↔service links, the general discount (with its version), the widget's keys. */
import { useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "../../../api/client";
import { unwrap } from "../../../lib/problem";

export type Link = Schemas["SchedulingLinkRead"];
export type ApiKey = Schemas["SchedulingApiKeyRead"];
export type CreatedKey = Schemas["SchedulingApiKeyCreated"];

export const ONLINE_KEY = ["online-booking"] as const;
export const LINKS_KEY = [...ONLINE_KEY, "links"] as const;
export const SETTINGS_KEY = [...ONLINE_KEY, "settings"] as const;
export const API_KEYS_KEY = [...ONLINE_KEY, "api-keys"] as const;
const PAGE = 500;

/** Every link (page after page: the general discount applies to all of them). */
export async function loadAllLinks(): Promise<Link[]> {
  const links: Link[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = unwrap(await api.GET("/api/scheduling/online/links", { params: { query: { limit: PAGE, offset } } }));
    links.push(...page.items);
    if (page.items.length < PAGE || links.length >= page.total) return links;
  }
}

export const useLinks = (enabled = true) => useQuery({ queryKey: LINKS_KEY, enabled, queryFn: loadAllLinks });

/** The general discount and its version (the `ETag` the change must name). */
export const useOnlineSettings = () =>
  useQuery({
    queryKey: SETTINGS_KEY,
    queryFn: async () => {
      const result = await api.GET("/api/scheduling/online/settings");
      const settings = unwrap(result);
      return { settings, etag: result.response.headers.get("ETag") };
    },
  });

export const useApiKeys = () =>
  useQuery({
    queryKey: API_KEYS_KEY,
    queryFn: async () => unwrap(await api.GET("/api/scheduling/online/api-keys")).items,
  });
