import { describe, expect, it } from "vitest";
import ru from "../../../i18n/ru/users.json";
import { AUDIT_ACTIONS, auditPeriod, detailsText, groupRights, prefixOf, toggled } from "./rules";

describe("rights catalogue", () => {
  it("groups rights by service in a stable order and drops empty services", () => {
    const groups = groupRights({
      scheduling: { "scheduling.write": "w", "scheduling.read": "r" },
      gateway: { "gateway.users": "u" },
      empty: {},
    });
    expect(groups.map((group) => group.service)).toEqual(["gateway", "scheduling"]);
    expect(groups[1]!.rights.map((item) => item.right)).toEqual(["scheduling.read", "scheduling.write"]);
  });

  it("names a group by its rights' prefix", () => {
    expect(prefixOf({ service: "ondoc-bridge", rights: [{ right: "ondoc.read", description: "" }] })).toBe("ondoc");
  });

  it("ticks and unticks a right once", () => {
    expect(toggled(["b"], "a", true)).toEqual(["a", "b"]);
    expect(toggled(["a", "b"], "a", true)).toEqual(["a", "b"]);
    expect(toggled(["a", "b"], "a", false)).toEqual(["b"]);
  });
});

describe("audit log", () => {
  it("takes the period in the clinic's days", () => {
    expect(auditPeriod("2026-12-01", "2026-12-07", "Europe/Moscow")).toEqual({
      since: "2026-12-01T00:00:00+03:00",
      until: "2026-12-08T00:00:00+03:00",
    });
    expect(auditPeriod("", "", "Europe/Moscow")).toEqual({ since: undefined, until: undefined });
  });

  it("has a Russian name for every action", () => {
    for (const action of AUDIT_ACTIONS) {
      const [group, name] = action.split(".") as [string, string];
      expect((ru.audit.actions as Record<string, Record<string, string>>)[group]?.[name], action).toBeTruthy();
    }
  });

  it("writes details in a line", () => {
    expect(detailsText({ roles: ["a"], active: false })).toBe('roles: ["a"]; active: false');
  });
});
