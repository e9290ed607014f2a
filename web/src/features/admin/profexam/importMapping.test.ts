import { describe, expect, it } from "vitest";
import { defaultMapping, duplicateLetters, mappingJson } from "./importMapping";

describe("the Excel import's column mapping", () => {
  it("defaults to the template's layout A…K from row 2", () => {
    const body = JSON.parse(mappingJson(defaultMapping()));
    expect(body.last_name).toBe("A");
    expect(body.working_conditions).toBe("K");
    expect(body.first_row).toBe(2);
    expect(body.last_row).toBeNull();
    expect(body.sheet).toBeNull();
  });

  it("sends a column left out as null and a numeric sheet as its position", () => {
    const mapping = defaultMapping();
    mapping.columns.phone = "";
    mapping.sheet = "2";
    mapping.lastRow = "17";
    const body = JSON.parse(mappingJson(mapping));
    expect(body.phone).toBeNull();
    expect(body.sheet).toBe(2);
    expect(body.last_row).toBe(17);
  });

  it("finds a letter given to two fields", () => {
    const mapping = defaultMapping();
    mapping.columns.first_name = "A";
    expect([...duplicateLetters(mapping)]).toEqual(["A"]);
  });
});
