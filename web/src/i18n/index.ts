/**
 * Russian first, English second. Each screen keeps its texts in its own namespace file
 * (`ru/<namespace>.json` and `en/<namespace>.json`, the same keys in both; a Vitest test checks).
 * The words are the source documentation's own, so staff trained on the old system find their way.
 */
import i18n from "i18next";
import { initReactI18next } from "react-i18next";

export const LANGUAGES = ["ru", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
const STORED = "clinic.language";

type Texts = Record<string, unknown>;
const files = import.meta.glob<Texts>("./*/*.json", { eager: true, import: "default" });

export const resources: Record<string, Record<string, Texts>> = {};
for (const [path, texts] of Object.entries(files)) {
  const [, language, namespace] = /\.\/(\w+)\/(\w+)\.json$/.exec(path) ?? [];
  if (language && namespace) (resources[language] ??= {})[namespace] = texts;
}

function storedLanguage(): Language {
  try {
    const stored = globalThis.localStorage?.getItem(STORED);
    return stored === "en" ? "en" : "ru";
  } catch {
    return "ru";
  }
}

void i18n.use(initReactI18next).init({
  resources,
  lng: storedLanguage(),
  fallbackLng: "ru",
  defaultNS: "common",
  ns: Object.keys(resources.ru ?? {}),
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

i18n.on("languageChanged", (language) => {
  document.documentElement.lang = language;
  try {
    globalThis.localStorage?.setItem(STORED, language);
  } catch {
    /* private mode: the choice lasts for this page */
  }
});

export default i18n;
