import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const here = new URL(".", import.meta.url).pathname;

function keysOf(node: unknown, prefix = ""): string[] {
  if (node && typeof node === "object") {
    return Object.entries(node).flatMap(([key, value]) => keysOf(value, prefix ? `${prefix}.${key}` : key));
  }
  return [prefix];
}

describe("texts", () => {
  const namespaces = readdirSync(join(here, "ru")).filter((name) => name.endsWith(".json"));
  it.each(namespaces)("%s has the same keys in Russian and English", (file) => {
    const ru = keysOf(JSON.parse(readFileSync(join(here, "ru", file), "utf8"))).sort();
    const en = keysOf(JSON.parse(readFileSync(join(here, "en", file), "utf8"))).sort();
    expect(en).toEqual(ru);
  });
});
