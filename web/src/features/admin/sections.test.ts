import { describe, expect, it } from "vitest";
import { hasRight } from "../../auth/rights";
import { visibleSections } from "./sections";

describe("back office menu", () => {
  it("shows every section to an administrator", () => {
    expect(visibleSections((right) => hasRight(["*"], right))).toHaveLength(8);
  });

  it("shows a lab doctor only the laboratory", () => {
    const paths = visibleSections((right) => hasRight(["lab.read", "lab.results"], right)).map((s) => s.path);
    expect(paths).toEqual(["lab"]);
  });

  it("shows nothing to a receptionist without back-office rights", () => {
    expect(visibleSections((right) => hasRight(["scheduling.read", "scheduling.write", "patients.read"], right))).toEqual([]);
  });
});
