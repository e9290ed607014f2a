import { describe, expect, it } from "vitest";
import { hasRight } from "./rights";

describe("rights", () => {
  it("grants a right by itself, by its service's wildcard and by *", () => {
    expect(hasRight(["patients.read"], "patients.read")).toBe(true);
    expect(hasRight(["patients.*"], "patients.write")).toBe(true);
    expect(hasRight(["*"], "lab.results")).toBe(true);
  });

  it("does not grant another service's or another right", () => {
    expect(hasRight(["patients.*"], "scheduling.read")).toBe(false);
    expect(hasRight(["patients.read"], "patients.write")).toBe(false);
    expect(hasRight([], "patients.read")).toBe(false);
  });
});
