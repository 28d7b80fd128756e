import { useTranslation } from "react-i18next";

/** Locale tags for dates: Kiswahili as spoken in Tanzania, English with day-month order. */
const localeOf = (language: string | undefined) => (language === "en" ? "en-GB" : "sw-TZ");

/** Date and time formatters in the interface language, in the browser's time zone. */
export function useDateFormat() {
  const { i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  return {
    dateTime: (iso: string) => new Date(iso).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" }),
    date: (iso: string) => new Date(iso).toLocaleDateString(locale, { dateStyle: "medium" }),
    /** A calendar date `YYYY-MM-DD` (no time, so no time-zone shift). */
    calendarDate: (ymd: string) => new Date(`${ymd}T12:00:00`).toLocaleDateString(locale, { dateStyle: "medium" }),
  };
}

/** Today's date in the browser, `YYYY-MM-DD`, for the `min` of date pickers. */
export function todayInput(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The end of a chosen day (`YYYY-MM-DD`) in the browser's time zone, as an ISO instant for the API. */
export function endOfDay(ymd: string): string {
  return new Date(`${ymd}T23:59:00`).toISOString();
}
