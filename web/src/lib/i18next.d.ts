import type sw from "../locales/sw.json";

// Typed keys: a `t("...")` call with a key missing from the Kiswahili file fails the type check.
declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof sw };
    returnNull: false;
  }
}
