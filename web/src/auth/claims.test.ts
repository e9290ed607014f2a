import { describe, expect, it } from "vitest";
import { tokenUser } from "./claims";

function token(claims: unknown): string {
  const part = (value: unknown) =>
    Buffer.from(JSON.stringify(value)).toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `${part({ alg: "EdDSA", typ: "JWT" })}.${part(claims)}.c2lnbmF0dXJl`;
}

describe("tokenUser", () => {
  it("reads the id, name and rights the gateway signed", () => {
    const user = tokenUser(token({ sub: "u-1", username: "admin", rights: ["*"], exp: 1 }));
    expect(user).toEqual({ id: "u-1", username: "admin", rights: ["*"] });
  });

  it("reads a name outside ASCII", () => {
    expect(tokenUser(token({ sub: "u-2", username: "регистратор", rights: [] }))?.username).toBe("регистратор");
  });

  it("reads a payload whose base64url needs the characters - and _", () => {
    const rights = ["scheduling.read", "patients.*", "~~~?>>>"];
    expect(tokenUser(token({ sub: "u-3", username: "a", rights }))?.rights).toEqual(rights);
  });

  it.each([
    ["no payload", "only-one-part"],
    ["a payload that is not JSON", "a.bm90IGpzb24.c"],
    ["claims without rights", token({ sub: "u", username: "a" })],
    ["claims without a subject", token({ username: "a", rights: [] })],
  ])("gives nothing for %s", (_case, value) => {
    expect(tokenUser(value)).toBeNull();
  });
});
