/**
 * Russian first, English second. Each screen keeps its texts in its own namespace file
 * (`ru/<namespace>.json` and `en/<namespace>.json`, the same keys in both; a Vitest test checks).
 * The words are the source documentation's own, so staff trained on the old system find their way.
 *
 * The Russian texts of the first screen (the schedule with its appointment and waiting-list
 * panels) are part of the app's code; every other file is loaded when a screen first needs it,
 * and after the first screen is up all texts of the language in use are loaded ahead
 * (`loadAllTexts`), so opening another screen later does not wait for its words.
 */
import i18n, { type BackendModule } from "i18next";
import { initReactI18next } from "react-i18next";
import appointment from "./ru/appointment.json";
import common from "./ru/common.json";
import schedule from "./ru/schedule.json";
import waitlist from "./ru/waitlist.json";

export const LANGUAGES = ["ru", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
const STORED = "clinic.language";

type Texts = Record<string, unknown>;
const FIRST_SCREEN: Record<string, Texts> = { common, schedule, appointment, waitlist };
const LATER = import.meta.glob<Texts>(
  ["./*/*.json", "!./ru/common.json", "!./ru/schedule.json", "!./ru/appointment.json", "!./ru/waitlist.json"],
  { import: "default" },
);
export const NAMESPACES = [
  ...new Set(Object.keys(LATER).map((path) => /\/(\w+)\.json$/.exec(path)?.[1] ?? "")),
].filter(Boolean);

const files: BackendModule = {
  type: "backend",
  init() {},
  read(language, namespace, done) {
    const load = LATER[`./${language}/${namespace}.json`];
    if (!load) {
      done(new Error(`no texts ${language}/${namespace}`), false);
      return;
    }
    load().then(
      (texts) => done(null, texts),
      (error: Error) => done(error, false),
    );
  },
};

function storedLanguage(): Language {
  try {
    const stored = globalThis.localStorage?.getItem(STORED);
    return stored === "en" ? "en" : "ru";
  } catch {
    return "ru";
  }
}

void i18n
  .use(files)
  .use(initReactI18next)
  .init({
    resources: { ru: FIRST_SCREEN },
    partialBundledLanguages: true, // the rest comes from `files`
    lng: storedLanguage(),
    fallbackLng: "ru",
    defaultNS: "common",
    ns: Object.keys(FIRST_SCREEN),
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });

/** Every namespace of the language in use (and of the fallback), e.g. once the first screen is up. */
export function loadAllTexts(): Promise<void> {
  return i18n.loadNamespaces(NAMESPACES);
}

i18n.on("languageChanged", (language) => {
  document.documentElement.lang = language;
  try {
    globalThis.localStorage?.setItem(STORED, language);
  } catch {
    /* private mode: the choice lasts for this page */
  }
});

export default i18n;
