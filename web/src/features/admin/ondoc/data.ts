/** The ONDOC bridge's API as the «ONDOC» screens use it. */
import { useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "../../../api/client";
import { unwrap } from "../../../lib/problem";

export type OndocConfig = Schemas["OndocConfigRead"];
export type OndocConfigUpdate = Schemas["OndocConfigUpdate"];
export type MappingKind = Schemas["OndocMappingRead"]["kind"];
export type OutboundItem = Schemas["OndocOutboundRead"];

export const ondocKeys = {
  settings: ["ondoc", "settings"] as const,
  links: (status: string) => ["ondoc", "links", status] as const,
  mappings: (kind: MappingKind) => ["ondoc", "mappings", kind] as const,
  uploads: ["ondoc", "uploads"] as const,
  outbound: (status: string) => ["ondoc", "outbound", status] as const,
  summary: ["ondoc", "outbound", "summary"] as const,
};

export function useOndocSettings() {
  return useQuery({
    queryKey: ondocKeys.settings,
    queryFn: async () => {
      const result = await api.GET("/api/ondoc/settings");
      return { config: unwrap(result), etag: result.response.headers.get("ETag") ?? "" };
    },
  });
}
