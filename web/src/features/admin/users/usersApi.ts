/** The gateway's users, roles, rights and audit log (GW-2, GW-3) as the screens load them. */
import { useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "../../../api/client";
import { unwrap } from "../../../lib/problem";

export type UserRead = Schemas["UserRead"];
export type RoleRead = Schemas["RoleRead"];
export type SessionRead = Schemas["SessionRead"];
export type AuditEntry = Schemas["AuditEntryRead"];

// Not in api/keys.ts: no live event names users or roles; every change here invalidates them itself.
export const userKeys = {
  users: ["gateway", "users"] as const,
  roles: ["gateway", "roles"] as const,
  rights: ["gateway", "rights"] as const,
  sessions: (id: string) => ["gateway", "users", id, "sessions"] as const,
  audit: ["gateway", "audit"] as const,
};

export const useUsers = (enabled = true) =>
  useQuery({ queryKey: userKeys.users, enabled, queryFn: async () => unwrap(await api.GET("/api/auth/users")).items });

export const useRoles = () =>
  useQuery({ queryKey: userKeys.roles, queryFn: async () => unwrap(await api.GET("/api/auth/roles")).items });

export const useRightsCatalogue = () =>
  useQuery({ queryKey: userKeys.rights, staleTime: 5 * 60_000, queryFn: async () => unwrap(await api.GET("/api/auth/rights")) });

/** A user's current version, for If-Match on a change. */
export async function userEtag(id: string): Promise<string | undefined> {
  const result = await api.GET("/api/auth/users/{user_id}", { params: { path: { user_id: id } } });
  unwrap(result);
  return result.response.headers.get("ETag") ?? undefined;
}

/** Change a user from their current version (412 if someone changed them in between). */
export async function patchUser(id: string, body: Schemas["UserUpdate"]): Promise<UserRead> {
  const etag = await userEtag(id);
  return unwrap(
    await api.PATCH("/api/auth/users/{user_id}", {
      params: { path: { user_id: id }, header: etag ? { "If-Match": etag } : undefined },
      body,
    }),
  );
}
