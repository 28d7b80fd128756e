/**
 * Registry files (majalada): opened by the registry for a department, numbered
 * `<AGENCY>/<DEPT>/<YEAR>/<NNNN>`, holding letters as numbered folios. A closed file takes no new
 * letters until it is reopened. Pure TypeScript.
 */
import type { Actor } from "./letters";
import { RuleError, type Classification } from "./records";
import type { Role } from "./roles";

/** Who opens, closes and reopens files (DESIGN.md section 1 and 6). */
export const FILE_MANAGER_ROLES = ["registry", "admin"] as const satisfies readonly Role[];

export const FILE_STATUSES = ["OPEN", "CLOSED"] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

export interface RegistryFile {
  id: string;
  agencyId: string;
  reference: string;
  title: string;
  description: string | null;
  departmentId: string;
  classification: Classification;
  status: FileStatus;
  /** Folios given out so far; the next letter filed gets `folioCount + 1`. */
  folioCount: number;
  openedBy: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  version: number;
}

export type FileAction = "open" | "close" | "reopen" | "file";

export function mayManageFiles(actor: Pick<Actor, "roles">): boolean {
  return FILE_MANAGER_ROLES.some((role) => actor.roles.includes(role));
}

export interface NewFile {
  id: string;
  agencyId: string;
  reference: string;
  title: string;
  description?: string | null;
  departmentId: string;
  classification: Classification;
}

export function openFile(input: NewFile, actor: Actor, now: Date): RegistryFile {
  if (!mayManageFiles(actor)) throw new RuleError("FORBIDDEN", "Only the registry or an administrator opens files");
  const at = now.toISOString();
  return {
    id: input.id,
    agencyId: input.agencyId,
    reference: input.reference,
    title: input.title,
    description: input.description ?? null,
    departmentId: input.departmentId,
    classification: input.classification,
    status: "OPEN",
    folioCount: 0,
    openedBy: actor.userId,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    version: 1,
  };
}

function checkVersion(file: RegistryFile, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && expectedVersion !== file.version) {
    throw new RuleError("CONFLICT", `The file has changed (version ${file.version}, not ${expectedVersion}); reload it and try again`);
  }
}

export function closeFile(file: RegistryFile, actor: Actor, now: Date, expectedVersion?: number): RegistryFile {
  checkVersion(file, expectedVersion);
  if (!mayManageFiles(actor)) throw new RuleError("FORBIDDEN", "Only the registry or an administrator closes files");
  if (file.status !== "OPEN") throw new RuleError("INVALID_TRANSITION", "The file is closed already");
  const at = now.toISOString();
  return { ...file, status: "CLOSED", closedAt: at, updatedAt: at, version: file.version + 1 };
}

export function reopenFile(file: RegistryFile, actor: Actor, now: Date, expectedVersion?: number): RegistryFile {
  checkVersion(file, expectedVersion);
  if (!mayManageFiles(actor)) throw new RuleError("FORBIDDEN", "Only the registry or an administrator reopens files");
  if (file.status !== "CLOSED") throw new RuleError("INVALID_TRANSITION", "The file is open already");
  return { ...file, status: "OPEN", closedAt: null, updatedAt: now.toISOString(), version: file.version + 1 };
}

/** The file after a letter is filed in it, and the letter's folio number. A closed file refuses (CONFLICT). */
export function fileLetter(file: RegistryFile, now: Date): { file: RegistryFile; folio: number } {
  if (file.status !== "OPEN") {
    throw new RuleError("CONFLICT", `The file ${file.reference} is closed and takes no new letters; reopen it first`);
  }
  const folio = file.folioCount + 1;
  return { file: { ...file, folioCount: folio, updatedAt: now.toISOString(), version: file.version + 1 }, folio };
}
