/**
 * Who may read what (DESIGN.md section 6, last paragraph), applied to every read and every list.
 * The caller's agency is checked by the store (every key carries it); these rules decide within it.
 *
 * Letters:
 * - `OPEN`: every user of the agency;
 * - `RESTRICTED`: the registry, everyone in the movement chain, the supervisors of its department;
 * - `CONFIDENTIAL`: only the movement chain and the supervisors of its department.
 * Files follow the same rule with "the movement chain" read as "the users of its department"
 * (and the registry, which keeps files, reads every file but a confidential one's letters).
 * A letter or file the caller may not read answers 404, as if it did not exist.
 */
import type { RegistryFile } from "./files";
import type { Actor, Letter } from "./letters";

function isDepartmentSupervisor(actor: Actor, departmentId: string | null): boolean {
  return actor.roles.includes("supervisor") && departmentId !== null && actor.departmentId === departmentId;
}

export function canReadLetter(actor: Actor, letter: Pick<Letter, "classification" | "chain" | "departmentId" | "assigneeId" | "approverId">): boolean {
  if (letter.chain.includes(actor.userId) || actor.userId === letter.assigneeId || actor.userId === letter.approverId) return true;
  if (isDepartmentSupervisor(actor, letter.departmentId)) return true;
  switch (letter.classification) {
    case "OPEN":
      return true;
    case "RESTRICTED":
      return actor.roles.includes("registry");
    case "CONFIDENTIAL":
      return false;
  }
}

export function canReadFile(actor: Actor, file: Pick<RegistryFile, "classification" | "departmentId">): boolean {
  if (actor.roles.includes("registry") || isDepartmentSupervisor(actor, file.departmentId)) return true;
  switch (file.classification) {
    case "OPEN":
      return true;
    case "RESTRICTED":
      return actor.departmentId === file.departmentId;
    case "CONFIDENTIAL":
      return false;
  }
}

/**
 * Who may add attachments to a letter: those who work on it (the chain, the assignee), the registry
 * that scans incoming mail, and its department's supervisors; never on a letter they cannot read.
 */
export function mayAttach(actor: Actor, letter: Letter): boolean {
  if (!canReadLetter(actor, letter)) return false;
  return letter.chain.includes(actor.userId) || actor.roles.includes("registry") || isDepartmentSupervisor(actor, letter.departmentId);
}
