import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import * as z from "zod";
import en from "../locales/en.json";
import sw from "../locales/sw.json";

export const languages = ["sw", "en"] as const;
export type Language = (typeof languages)[number];

// Kiswahili is the default; English only when the user asks for it.
export const defaultLanguage: Language = "sw";
export const languageStorageKey = "ofisi.lang";

const languageSchema = z.enum(languages);

export const resources = {
  sw: { translation: sw },
  en: { translation: en },
} as const;

function readStoredLanguage(): Language {
  try {
    const parsed = languageSchema.safeParse(window.localStorage.getItem(languageStorageKey));
    return parsed.success ? parsed.data : defaultLanguage;
  } catch {
    // Storage can be blocked (private mode, policies): fall back to the default.
    return defaultLanguage;
  }
}

function rememberLanguage(language: Language): void {
  try {
    window.localStorage.setItem(languageStorageKey, language);
  } catch {
    // Not remembering the choice is acceptable; the switch still works for this visit.
  }
}

export function toLanguage(value: string | undefined): Language {
  const parsed = languageSchema.safeParse(value);
  return parsed.success ? parsed.data : defaultLanguage;
}

/** Initialises i18next synchronously (resources are bundled) and keeps `<html lang>` and storage in step. */
export function initI18n(): typeof i18next {
  i18next.on("languageChanged", (lng) => {
    const language = toLanguage(lng);
    document.documentElement.lang = language;
    rememberLanguage(language);
  });

  void i18next.use(initReactI18next).init({
    resources,
    lng: readStoredLanguage(),
    fallbackLng: defaultLanguage,
    supportedLngs: [...languages],
    initAsync: false,
    returnNull: false,
    interpolation: { escapeValue: false }, // React escapes already.
  });

  document.documentElement.lang = toLanguage(i18next.language);
  return i18next;
}
