import type { Actor, Letter, LetterStatus } from "../../../functions/core/letters";

/**
 * One department D1 and the people around a letter held by A:
 * R registered it (registry, department REG), C held it before A, S is A's supervisor (and a
 * supervisor of D1), T another supervisor of D1, O a supervisor of D2, X an officer of D1 who never
 * saw it, M the agency administrator, B the officer it may move to.
 */
export const PEOPLE = {
  R: { userId: "R", roles: ["registry"], departmentId: "REG" },
  A: { userId: "A", roles: ["officer"], departmentId: "D1" },
  C: { userId: "C", roles: ["officer"], departmentId: "D1" },
  S: { userId: "S", roles: ["supervisor", "officer"], departmentId: "D1" },
  T: { userId: "T", roles: ["supervisor"], departmentId: "D1" },
  O: { userId: "O", roles: ["supervisor"], departmentId: "D2" },
  X: { userId: "X", roles: ["officer"], departmentId: "D1" },
  M: { userId: "M", roles: ["admin"], departmentId: null },
  B: { userId: "B", roles: ["officer"], departmentId: "D2" },
} as const satisfies Record<string, Actor>;

export type Person = keyof typeof PEOPLE;

export const actor = (p: Person): Actor => ({ ...PEOPLE[p], roles: [...PEOPLE[p].roles] });

export const NOW = new Date("2026-05-18T07:00:00.000Z");

export function letterIn(status: LetterStatus, overrides: Partial<Letter> = {}): Letter {
  return {
    id: "L1",
    agencyId: "AG",
    reference: "DEMO/IN/2026/0001",
    direction: "INCOMING",
    subject: "Ombi la vifaa",
    summary: null,
    sender: { name: "Mkuu wa Wilaya" },
    classification: "RESTRICTED",
    priority: "NORMAL",
    status,
    assigneeId: "A",
    approverId: status === "AWAITING_APPROVAL" ? "S" : null,
    departmentId: "D1",
    fileId: null,
    folio: null,
    dueAt: "2026-05-25T07:00:00.000Z",
    overdue: false,
    requiresApproval: false,
    chain: status === "AWAITING_APPROVAL" ? ["R", "C", "A", "S"] : ["R", "C", "A"],
    registeredBy: "R",
    createdAt: "2026-05-10T07:00:00.000Z",
    updatedAt: "2026-05-10T07:00:00.000Z",
    closedAt: status === "CLOSED" ? "2026-05-12T07:00:00.000Z" : null,
    version: 4,
    ...overrides,
  };
}
