/**
 * Reference numbers. A registry file is `<AGENCY>/<DEPARTMENT>/<YEAR>/<NNNN>` (e.g.
 * `DEMO/ADM/2026/0007`); a letter is `<AGENCY>/<IN|OUT|INT>/<YEAR>/<NNNN>`. The running number
 * restarts each year (in the agency's time zone) and is counted per series; the store allocates it
 * without gaps or duplicates. Numbers past 9999 simply grow wider.
 */
import type { Direction } from "./letters";

const DIRECTION_CODES: Record<Direction, string> = { INCOMING: "IN", OUTGOING: "OUT", INTERNAL: "INT" };

/** The counter series a file reference is numbered in. */
export function fileSeries(departmentCode: string, year: number): string {
  return `FILE#${departmentCode}#${year}`;
}

export function letterSeries(direction: Direction, year: number): string {
  return `LETTER#${DIRECTION_CODES[direction]}#${year}`;
}

export function runningNumber(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`Not a running number: ${n}`);
  return String(n).padStart(4, "0");
}

export function fileReference(agencyCode: string, departmentCode: string, year: number, n: number): string {
  return `${agencyCode}/${departmentCode}/${year}/${runningNumber(n)}`;
}

export function letterReference(agencyCode: string, direction: Direction, year: number, n: number): string {
  return `${agencyCode}/${DIRECTION_CODES[direction]}/${year}/${runningNumber(n)}`;
}

/** The parts of a reference, or null when the text is not one. */
export function parseReference(text: string): { agency: string; series: string; year: number; number: number } | null {
  const match = /^([A-Z][A-Z0-9]{1,15})\/([A-Z][A-Z0-9]{0,15})\/(\d{4})\/(\d{4,})$/.exec(text.trim().toUpperCase());
  if (!match) return null;
  return { agency: match[1] ?? "", series: match[2] ?? "", year: Number(match[3]), number: Number(match[4]) };
}
