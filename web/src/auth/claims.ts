/**
 * Who is signed in, read from the access token itself: the gateway signs the user's id, name
 * and rights into it (clinic_shared.auth.sign_token), so the app knows them as soon as it has
 * the token, without asking `/api/auth/me` first. The services check the signature; the app
 * only uses the claims to decide what to show. A token changes when the user's rights do.
 */
export interface TokenUser {
  id: string;
  username: string;
  rights: string[];
}

export function tokenUser(token: string): TokenUser | null {
  try {
    const payload = token.split(".")[1];
    if (!payload) return null;
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (!claims || typeof claims !== "object") return null;
    const { sub, username, rights } = claims as Record<string, unknown>;
    if (typeof sub !== "string" || typeof username !== "string" || !Array.isArray(rights)) return null;
    return { id: sub, username, rights: rights.filter((right): right is string => typeof right === "string") };
  } catch {
    return null;
  }
}
