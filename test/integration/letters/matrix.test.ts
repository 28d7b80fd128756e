import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEARCH_INDEXER_ENTRY, STREAM_CONSUMERS } from "../../../functions/streams/consumers";
import { startStreamPoller, type StreamPoller } from "../../../local/streams/poller";
import { dynamoEndpoint, LOCAL_AWS } from "../support/engines";
import { CALLERS, ERROR_CODES, matrixRoutes, routesWithoutMatrix, SCOPES, type Caller, type Scope, type SignedInCaller } from "../support/route-matrix";
import { DEMO, field, inDays, startHarness, type Harness, type Person } from "./harness";

/**
 * Every route of the files, letters, attachments, audit, search and dashboard groups × every role
 * (and no token) × a record of the caller's own agency and one of a foreign agency, with the status
 * each must answer. The statuses are written out by hand from DESIGN.md sections 1, 4 and 6, not
 * derived from `core/`, so a change of the rules that is not also a change of this table fails.
 * Identity routes have their own matrix (`identity/matrix.test.ts`); `support/route-matrix.ts`
 * makes sure every deployed route has a row in one of the two.
 *
 * The people. DEMO (the seed): the registry clerk (`registry`), officer A (`officer`), officer B
 * (no column; registers and receives letters), the supervisor of both officers (`supervisor`; the
 * seed gives this user the officer role too, and the department ADM), the agency administrator
 * (`admin`). The platform operator (`operator`) belongs to the platform's own agency OFISI, which
 * holds no letters or files (an operator may open and register none), so the operator's "own"
 * column names the DEMO record like the others: that record is another agency's to the operator,
 * hence 404 and empty lists. MFANO, the foreign agency, mirrors DEMO with its own registry clerk,
 * two officers and their supervisor; its records are created through the API by its own people.
 *
 * The records ("own" names the DEMO one, "foreign" the MFANO one):
 * - Files: an OPEN-classified file of the department, opened by the registry (closed by it for
 *   `reopen`). The read rows share one file; a caller expected to close or reopen gets a fresh one.
 *   "| CLOSED" closes a closed file and "| OPEN" reopens an open one: 409 INVALID_TRANSITION.
 * - Letter actions: an OPEN INTERNAL letter of the department, registered by officer B, assigned to
 *   officer A and brought into the action's state by officer A (accept; submit, which makes the
 *   supervisor its approver; complete). Officer B registers it so that the registry clerk is not in
 *   its movement chain and acts by role alone. Approval is required for submit, approve and reject
 *   and not for complete, unless the row says otherwise. A caller expected to succeed gets a fresh
 *   letter; the refused callers of a row share one (each refusal is checked to write nothing).
 *   The letters are OPEN because DESIGN lets an admin reassign but not read a RESTRICTED letter
 *   (section 6), which then answers 404. A row named "| <state>" asks in a state the action cannot
 *   leave: the actors of DESIGN section 4 get 409 INVALID_TRANSITION, the others 403, since "wrong
 *   actor 403" does not depend on the state. Before submission, "the approver" is the supervisor
 *   it would go to (the assignee's).
 * - The read letter (GET, `audit/verify | letter`, search): an OPEN INCOMING letter registered by
 *   the registry, assigned to officer A and filed in the read file (`audit/verify | file`). MFANO's
 *   has the same subject, so a search for its words would find it if agencies were not kept apart.
 * - Attachments: on an OPEN INTERNAL letter as above, a PDF requested and uploaded by officer A
 *   (`complete`: a fresh one for each caller expected to complete it; `download`: accepted).
 *   DESIGN is silent on who attaches; read with section 1, those who work on letters do (the
 *   registry that scans mail, the officers in the letter's chain, the department's supervisor),
 *   the administrator does not. "| mixed" pairs a letter id of one agency with an attachment id
 *   of the other: 404 for everyone, the administrator too.
 * - Routes without an id: "own" is the plain request; "foreign" names MFANO where the route takes
 *   a name (a department filter, a search for MFANO's reference, an audit id), else repeats it. No
 *   successful answer ever holds anything of MFANO.
 * Refusals from the route table (a role the route does not admit) are 403 whatever the id: they
 * tell nothing about it. A foreign id in a body is 400 (no such department/user/file in your
 * agency), as in the identity matrix; a foreign id in the path or query answers 404, never 403.
 */

type Status = 200 | 201 | 400 | 401 | 403 | 404 | 409;
/** One status per caller, in the order of CALLERS: registry, officer, supervisor, admin, operator, none. */
type Statuses = readonly [Status, Status, Status, Status, Status, Status];

const EXPECTED: Readonly<Record<string, { own: Statuses; foreign: Statuses }>> = {
  //                                                             registry, officer, supervisor, admin, operator, none
  "POST /api/files":                                            { own: [201, 403, 403, 201, 403, 401], foreign: [400, 403, 403, 400, 403, 401] },
  "GET /api/files":                                             { own: [200, 200, 200, 200, 200, 401], foreign: [200, 200, 200, 200, 200, 401] },
  "GET /api/files/{id}":                                        { own: [200, 200, 200, 200, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/files/{id}/close":                                 { own: [200, 403, 403, 200, 403, 401], foreign: [404, 403, 403, 404, 403, 401] },
  "POST /api/files/{id}/close | CLOSED":                        { own: [409, 403, 403, 409, 403, 401], foreign: [404, 403, 403, 404, 403, 401] },
  "POST /api/files/{id}/reopen":                                { own: [200, 403, 403, 200, 403, 401], foreign: [404, 403, 403, 404, 403, 401] },
  "POST /api/files/{id}/reopen | OPEN":                         { own: [409, 403, 403, 409, 403, 401], foreign: [404, 403, 403, 404, 403, 401] },
  // INCOMING: the registry only. Foreign: the assignee is an MFANO officer.
  "POST /api/letters | INCOMING":                               { own: [201, 403, 403, 403, 403, 401], foreign: [400, 403, 403, 403, 403, 401] },
  // INTERNAL: the registry and officers (the supervisor is an officer too). Foreign: filed in an MFANO file.
  "POST /api/letters | INTERNAL":                               { own: [201, 201, 201, 403, 403, 401], foreign: [400, 400, 400, 403, 403, 401] },
  "GET /api/letters":                                           { own: [200, 200, 200, 200, 200, 401], foreign: [200, 200, 200, 200, 200, 401] },
  "GET /api/letters/{id}":                                      { own: [200, 200, 200, 200, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/accept":                              { own: [403, 200, 403, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/accept | IN_PROGRESS":                { own: [403, 409, 403, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/minute":                              { own: [403, 200, 200, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/minute | CLOSED":                     { own: [403, 409, 409, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/forward":                             { own: [403, 200, 403, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/forward | AWAITING_APPROVAL":         { own: [403, 409, 403, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/reassign":                            { own: [200, 200, 200, 200, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/reassign | AWAITING_APPROVAL":        { own: [409, 409, 409, 409, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/submit":                              { own: [403, 200, 403, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/submit | FOR_ACTION":                 { own: [403, 409, 403, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/approve":                             { own: [403, 403, 200, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/approve | IN_PROGRESS":               { own: [403, 403, 409, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/reject":                              { own: [403, 403, 200, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/reject | IN_PROGRESS":                { own: [403, 403, 409, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/complete":                            { own: [403, 200, 403, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/complete | FOR_ACTION":               { own: [403, 409, 403, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/complete | IN_PROGRESS, approval required": { own: [403, 409, 403, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/extend":                              { own: [200, 403, 200, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/extend | CLOSED":                     { own: [409, 403, 409, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/attachments":                         { own: [201, 201, 201, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "POST /api/letters/{id}/attachments/{aid}/complete":          { own: [200, 200, 200, 403, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  // Mixed ids: own = the DEMO letter with MFANO's attachment id; foreign = MFANO's letter with the DEMO attachment id.
  "POST /api/letters/{id}/attachments/{aid}/complete | mixed":  { own: [404, 404, 404, 404, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "GET /api/letters/{id}/attachments/{aid}":                    { own: [200, 200, 200, 200, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "GET /api/letters/{id}/attachments/{aid} | mixed":            { own: [404, 404, 404, 404, 404, 401], foreign: [404, 404, 404, 404, 404, 401] },
  "GET /api/audit/verify | letter":                             { own: [200, 403, 200, 200, 403, 401], foreign: [404, 403, 404, 404, 403, 401] },
  "GET /api/audit/verify | file":                               { own: [200, 403, 200, 200, 403, 401], foreign: [404, 403, 404, 404, 403, 401] },
  "GET /api/search":                                            { own: [200, 200, 200, 200, 200, 401], foreign: [200, 200, 200, 200, 200, 401] },
  "GET /api/dashboard":                                         { own: [200, 200, 200, 200, 200, 401], foreign: [200, 200, 200, 200, 200, 401] },
  // Own: ?departmentId=ADM (the supervisor's and admin's department). Foreign: MFANO's department.
  "GET /api/dashboard/department":                              { own: [403, 403, 200, 200, 403, 401], foreign: [403, 403, 404, 404, 403, 401] },
  "GET /api/reports/handled":                                   { own: [403, 403, 200, 200, 403, 401], foreign: [403, 403, 404, 404, 403, 401] },
};

const routeOf = (row: string) => row.split(" | ")[0] ?? row;
const methodOf = (row: string) => row.split(" ")[0] ?? "";

// ---------------------------------------------------------------------------------------------
// Harness: the letters harness (files, letters, attachments, audit, and here the dashboard and
// search groups, behind one local gateway), and the search indexer fed by the stream
// poller, as the embedded runtime wires them.

let h: Harness;
let poller: StreamPoller | undefined;
let streams: DynamoDBStreamsClient | undefined;

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

// ---------------------------------------------------------------------------------------------
// People and records.

const callers = {} as Record<SignedInCaller, Person>;
let officerB: Person;

interface Side {
  name: Scope;
  agencyId: string;
  departmentId: string;
  registry: Person;
  /** Registers the action letters (an officer, so the registry is outside their chain). */
  registrar: Person;
  /** Holds the letters; the "officer" caller on the DEMO side. */
  assignee: Person;
  /** The assignee's supervisor. */
  supervisor: Person;
}
const sides = {} as Record<Scope, Side>;
/** Everything of MFANO that must never show in an answer to DEMO or the operator. */
const secrets = new Set<string>(["mfano.go.tz", "MFANO/"]);
const SUBJECT_WORD = "Zumaridi";
const NEW_DUE = inDays(30);

/** A small but real PDF document. */
const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
  "latin1",
);

/** Whether anything may have been written since the last snapshot. */
let dirty = true;

async function setup<T = Record<string, unknown>>(who: Person, method: string, path: string, body: unknown, status: number): Promise<T> {
  dirty = true;
  const res = await h.call<T>(method, path, { token: who.token, body });
  if (res.status !== status) throw new Error(`Setup ${method} ${path} answered ${res.status}, not ${status}: ${res.text}`);
  return res.body;
}

function keep(side: Side, ...values: string[]): void {
  if (side.name === "foreign") for (const v of values) secrets.add(v);
}

const memo = new Map<string, Promise<unknown>>();
function once<T>(key: string, make: () => Promise<T>): Promise<T> {
  let made = memo.get(key) as Promise<T> | undefined;
  if (!made) {
    made = make();
    memo.set(key, made);
  }
  return made;
}

type LetterState = "FOR_ACTION" | "IN_PROGRESS" | "AWAITING_APPROVAL" | "CLOSED";

/** A fresh OPEN INTERNAL letter registered by the side's registrar for its assignee, brought into `state` by the assignee. */
async function newLetter(side: Side, state: LetterState, requiresApproval: boolean): Promise<string> {
  if (state === "CLOSED" && requiresApproval) throw new Error("A closed test letter is completed, so needs no approval");
  const { id } = await setup<{ id: string }>(side.registrar, "POST", "/api/letters", {
    subject: "Barua ya ndani ya jaribio",
    direction: "INTERNAL",
    assigneeId: side.assignee.id,
    classification: "OPEN",
    requiresApproval,
    dueInDays: 14,
  }, 201);
  keep(side, id);
  const act = (action: string) => setup(side.assignee, "POST", `/api/letters/${id}/${action}`, {}, 200);
  if (state !== "FOR_ACTION") await act("accept");
  if (state === "AWAITING_APPROVAL") await act("submit");
  if (state === "CLOSED") await act("complete");
  return id;
}

/** A fresh OPEN-classified file of the side's department, opened (and closed) by its registry. */
async function newFile(side: Side, status: "OPEN" | "CLOSED"): Promise<string> {
  const { id } = await setup<{ id: string }>(side.registry, "POST", "/api/files", { title: "Jalada la jaribio", departmentId: side.departmentId, classification: "OPEN" }, 201);
  keep(side, id);
  if (status === "CLOSED") await setup(side.registry, "POST", `/api/files/${id}/close`, {}, 200);
  return id;
}

interface Cell {
  row: string;
  caller: Caller;
  scope: Scope;
  status: Status;
}

/**
 * The record a cell names: MFANO's (shared, it never changes: every foreign cell is refused), a
 * fresh one for a caller expected to change it, or the one the row's refused callers share.
 */
function record(cell: Cell, key: string, make: (side: Side) => Promise<string>): Promise<string> {
  if (cell.scope === "foreign") return once(`foreign ${key}`, () => make(sides.foreign));
  const changes = methodOf(cell.row) !== "GET";
  if (changes && cell.status < 300) return make(sides.own);
  return once(`own ${key}${changes ? ` for ${cell.row}` : ""}`, () => make(sides.own));
}

/** The read file, and the read letter filed in it (an OPEN INCOMING letter for the assignee). */
function readRecords(side: Side): Promise<{ fileId: string; letterId: string; reference: string }> {
  return once(`${side.name} read records`, async () => {
    const fileId = await once(`${side.name} file OPEN`, () => newFile(side, "OPEN"));
    const letter = await setup<{ id: string; reference: string }>(side.registry, "POST", "/api/letters", {
      subject: `Mwaliko wa kikao ${SUBJECT_WORD}`,
      direction: "INCOMING",
      assigneeId: side.assignee.id,
      classification: "OPEN",
      fileId,
    }, 201);
    keep(side, letter.id, letter.reference);
    return { fileId, letterId: letter.id, reference: letter.reference };
  });
}

/** The letter the attachment rows use: an OPEN INTERNAL FOR_ACTION letter as for the actions. */
const attachLetter = (side: Side) => once(`${side.name} attachment letter`, () => newLetter(side, "FOR_ACTION", false));

/** A PDF attachment requested and uploaded by the side's assignee, and completed by them when `accepted`. */
async function newAttachment(side: Side, accepted: boolean): Promise<string> {
  const letterId = await attachLetter(side);
  const requested = await setup<{ id: string; uploadUrl: string }>(side.assignee, "POST", `/api/letters/${letterId}/attachments`, {
    fileName: "barua.pdf",
    contentType: "application/pdf",
    size: PDF.length,
  }, 201);
  keep(side, requested.id);
  const put = await fetch(requested.uploadUrl, { method: "PUT", body: PDF, headers: { "content-type": "application/pdf" } });
  if (put.status !== 200) throw new Error(`Upload answered ${put.status}`);
  if (accepted) await setup(side.assignee, "POST", `/api/letters/${letterId}/attachments/${requested.id}/complete`, {}, 200);
  return requested.id;
}

// ---------------------------------------------------------------------------------------------
// How each row builds its request and what a successful answer must show.

interface Setup {
  /** The path (with query) and body of one cell's request; creates the records it names. */
  request(cell: Cell): Promise<{ path: string; body?: unknown }>;
  /** What the caller must see in a successful answer. */
  check?(body: unknown, cell: Cell): Promise<void> | void;
}

const ids = (body: unknown, key = "id"): string[] => field<Record<string, unknown>[] | undefined>(body, "items")?.map((i) => String(i[key])) ?? [];
const seesDemo = (cell: Cell) => cell.caller !== "operator";

function fileAction(action: "close" | "reopen", state: "OPEN" | "CLOSED", after: "OPEN" | "CLOSED"): Setup {
  return {
    request: async (cell) => ({ path: `/api/files/${await record(cell, `file ${state}`, (side) => newFile(side, state))}/${action}`, body: {} }),
    check: (body) => expect(field(body, "status")).toBe(after),
  };
}

function letterAction(action: string, state: LetterState, requiresApproval: boolean, body: () => unknown, shows?: (cell: Cell) => Record<string, unknown>): Setup {
  return {
    request: async (cell) => ({
      path: `/api/letters/${await record(cell, `letter ${state} approval=${requiresApproval}`, (side) => newLetter(side, state, requiresApproval))}/${action}`,
      body: body(),
    }),
    check: shows ? (answer, cell) => expect(answer).toMatchObject(shows(cell)) : undefined,
  };
}

const SETUPS: Readonly<Record<string, Setup>> = {
  "POST /api/files": {
    request: async (cell) => ({ path: "/api/files", body: { title: "Jalada jipya", departmentId: sides[cell.scope].departmentId, classification: "OPEN" } }),
    check: (body) => expect(body).toMatchObject({ status: "OPEN", departmentId: sides.own.departmentId }),
  },
  "GET /api/files": {
    request: async (cell) => {
      await readRecords(sides.own);
      await readRecords(sides.foreign);
      return { path: cell.scope === "own" ? "/api/files?limit=100" : `/api/files?limit=100&departmentId=${sides.foreign.departmentId}` };
    },
    check: async (body, cell) => {
      const { fileId } = await readRecords(sides.own);
      if (cell.scope === "own" && seesDemo(cell)) expect(ids(body)).toContain(fileId);
      else expect(ids(body)).toEqual([]);
    },
  },
  "GET /api/files/{id}": {
    request: async (cell) => ({ path: `/api/files/${(await readRecords(sides[cell.scope])).fileId}` }),
    check: async (body) => {
      const { fileId, letterId } = await readRecords(sides.own);
      expect(field(body, "id")).toBe(fileId);
      expect(field<{ id: string }[]>(body, "folios").map((f) => f.id)).toContain(letterId);
    },
  },
  "POST /api/files/{id}/close": fileAction("close", "OPEN", "CLOSED"),
  "POST /api/files/{id}/close | CLOSED": fileAction("close", "CLOSED", "CLOSED"),
  "POST /api/files/{id}/reopen": fileAction("reopen", "CLOSED", "OPEN"),
  "POST /api/files/{id}/reopen | OPEN": fileAction("reopen", "OPEN", "OPEN"),
  "POST /api/letters | INCOMING": {
    request: async (cell) => ({
      path: "/api/letters",
      body: { subject: "Barua inayoingia", direction: "INCOMING", classification: "OPEN", assigneeId: sides[cell.scope].assignee.id },
    }),
    check: (body) => expect(body).toMatchObject({ status: "FOR_ACTION", assigneeId: sides.own.assignee.id, direction: "INCOMING" }),
  },
  "POST /api/letters | INTERNAL": {
    request: async (cell) => {
      const fileId = cell.scope === "foreign" ? (await readRecords(sides.foreign)).fileId : undefined;
      return { path: "/api/letters", body: { subject: "Barua ya ndani", direction: "INTERNAL", classification: "OPEN", assigneeId: officerB.id, fileId } };
    },
    check: (body) => expect(body).toMatchObject({ status: "FOR_ACTION", assigneeId: officerB.id, direction: "INTERNAL", fileId: null }),
  },
  "GET /api/letters": {
    request: async () => {
      await readRecords(sides.own);
      await readRecords(sides.foreign);
      return { path: "/api/letters?box=for-action&limit=100" };
    },
    check: async (body, cell) => {
      // The caller's own box: only letters assigned to the caller, officer A's holding the read letter.
      const mine = cell.caller === "none" ? "" : callers[cell.caller].id;
      for (const assignee of ids(body, "assigneeId")) expect(assignee).toBe(mine);
      if (cell.caller === "officer") expect(ids(body)).toContain((await readRecords(sides.own)).letterId);
    },
  },
  "GET /api/letters/{id}": {
    request: async (cell) => ({ path: `/api/letters/${(await readRecords(sides[cell.scope])).letterId}` }),
    check: async (body) => expect(field(body, "id")).toBe((await readRecords(sides.own)).letterId),
  },
  "POST /api/letters/{id}/accept": letterAction("accept", "FOR_ACTION", false, () => ({}), () => ({ status: "IN_PROGRESS" })),
  "POST /api/letters/{id}/accept | IN_PROGRESS": letterAction("accept", "IN_PROGRESS", false, () => ({})),
  "POST /api/letters/{id}/minute": letterAction("minute", "FOR_ACTION", false, () => ({ text: "Tafadhali shughulikia" }), (cell) => ({
    status: "FOR_ACTION",
    chain: expect.arrayContaining([callers[cell.caller as SignedInCaller].id]) as unknown,
  })),
  "POST /api/letters/{id}/minute | CLOSED": letterAction("minute", "CLOSED", false, () => ({ text: "Tafadhali shughulikia" })),
  "POST /api/letters/{id}/forward": letterAction("forward", "FOR_ACTION", false, () => ({ to: officerB.id }), () => ({ status: "FOR_ACTION", assigneeId: officerB.id })),
  "POST /api/letters/{id}/forward | AWAITING_APPROVAL": letterAction("forward", "AWAITING_APPROVAL", true, () => ({ to: officerB.id })),
  "POST /api/letters/{id}/reassign": letterAction("reassign", "FOR_ACTION", false, () => ({ to: officerB.id, reason: "Imepelekwa kimakosa" }), () => ({
    status: "FOR_ACTION",
    assigneeId: officerB.id,
  })),
  "POST /api/letters/{id}/reassign | AWAITING_APPROVAL": letterAction("reassign", "AWAITING_APPROVAL", true, () => ({ to: officerB.id, reason: "Imepelekwa kimakosa" })),
  "POST /api/letters/{id}/submit": letterAction("submit", "IN_PROGRESS", true, () => ({}), () => ({ status: "AWAITING_APPROVAL", approverId: callers.supervisor.id })),
  "POST /api/letters/{id}/submit | FOR_ACTION": letterAction("submit", "FOR_ACTION", true, () => ({})),
  "POST /api/letters/{id}/approve": letterAction("approve", "AWAITING_APPROVAL", true, () => ({}), () => ({ status: "CLOSED" })),
  "POST /api/letters/{id}/approve | IN_PROGRESS": letterAction("approve", "IN_PROGRESS", true, () => ({})),
  "POST /api/letters/{id}/reject": letterAction("reject", "AWAITING_APPROVAL", true, () => ({ note: "Rekebisha kiambatisho" }), () => ({
    status: "IN_PROGRESS",
    assigneeId: callers.officer.id,
  })),
  "POST /api/letters/{id}/reject | IN_PROGRESS": letterAction("reject", "IN_PROGRESS", true, () => ({ note: "Rekebisha kiambatisho" })),
  "POST /api/letters/{id}/complete": letterAction("complete", "IN_PROGRESS", false, () => ({}), () => ({ status: "CLOSED" })),
  "POST /api/letters/{id}/complete | FOR_ACTION": letterAction("complete", "FOR_ACTION", false, () => ({})),
  "POST /api/letters/{id}/complete | IN_PROGRESS, approval required": letterAction("complete", "IN_PROGRESS", true, () => ({})),
  "POST /api/letters/{id}/extend": letterAction("extend", "FOR_ACTION", false, () => ({ dueAt: NEW_DUE }), () => ({ status: "FOR_ACTION", dueAt: NEW_DUE })),
  "POST /api/letters/{id}/extend | CLOSED": letterAction("extend", "CLOSED", false, () => ({ dueAt: NEW_DUE })),
  "POST /api/letters/{id}/attachments": {
    request: async (cell) => ({
      path: `/api/letters/${await attachLetter(sides[cell.scope])}/attachments`,
      body: { fileName: "scan.pdf", contentType: "application/pdf", size: PDF.length },
    }),
    check: (body) => {
      expect(field(body, "id")).toEqual(expect.any(String));
      expect(field(body, "uploadUrl")).toEqual(expect.any(String));
    },
  },
  "POST /api/letters/{id}/attachments/{aid}/complete": {
    request: async (cell) => {
      const aid = await record(cell, "attachment PENDING", (side) => newAttachment(side, false));
      return { path: `/api/letters/${await attachLetter(sides[cell.scope])}/attachments/${aid}/complete`, body: {} };
    },
    check: (body) => expect(field(body, "status")).toBe("ACCEPTED"),
  },
  "POST /api/letters/{id}/attachments/{aid}/complete | mixed": {
    request: async (cell) => {
      const other: Scope = cell.scope === "own" ? "foreign" : "own";
      const aid = await once(`${other} attachment PENDING for mixed`, () => newAttachment(sides[other], false));
      return { path: `/api/letters/${await attachLetter(sides[cell.scope])}/attachments/${aid}/complete`, body: {} };
    },
  },
  "GET /api/letters/{id}/attachments/{aid}": {
    request: async (cell) => {
      const aid = await once(`${cell.scope} attachment ACCEPTED`, () => newAttachment(sides[cell.scope], true));
      return { path: `/api/letters/${await attachLetter(sides[cell.scope])}/attachments/${aid}` };
    },
    check: (body) => expect(field(body, "downloadUrl")).toEqual(expect.any(String)),
  },
  "GET /api/letters/{id}/attachments/{aid} | mixed": {
    request: async (cell) => {
      const other: Scope = cell.scope === "own" ? "foreign" : "own";
      const aid = await once(`${other} attachment ACCEPTED`, () => newAttachment(sides[other], true));
      return { path: `/api/letters/${await attachLetter(sides[cell.scope])}/attachments/${aid}` };
    },
  },
  "GET /api/audit/verify | letter": {
    request: async (cell) => ({ path: `/api/audit/verify?entity=letter&id=${(await readRecords(sides[cell.scope])).letterId}` }),
    check: (body) => expect(field(body, "valid")).toBe(true),
  },
  "GET /api/audit/verify | file": {
    request: async (cell) => ({ path: `/api/audit/verify?entity=file&id=${(await readRecords(sides[cell.scope])).fileId}` }),
    check: (body) => expect(field(body, "valid")).toBe(true),
  },
  "GET /api/search": {
    request: async (cell) => {
      // Both agencies hold a letter with the word; wait until the indexer has seen them.
      await readRecords(sides.own);
      const { reference } = await readRecords(sides.foreign);
      await poller?.idle();
      return { path: `/api/search?q=${encodeURIComponent(cell.scope === "own" ? SUBJECT_WORD : reference)}` };
    },
    check: async (body, cell) => {
      if (cell.scope === "own" && seesDemo(cell)) expect(ids(body)).toEqual([(await readRecords(sides.own)).letterId]);
      else expect(ids(body)).toEqual([]);
    },
  },
  "GET /api/dashboard": {
    request: async () => {
      await readRecords(sides.own);
      await readRecords(sides.foreign);
      return { path: "/api/dashboard" };
    },
    check: (body, cell) => {
      expect(field(body, "forAction")).toEqual(expect.any(Number));
      // Officer A holds the read letter (and others) for action; the operator holds nothing.
      if (cell.caller === "officer") expect(field<number>(body, "forAction")).toBeGreaterThan(0);
      if (cell.caller === "operator") expect(field(body, "forAction")).toBe(0);
    },
  },
  "GET /api/dashboard/department": {
    request: async (cell) => ({ path: `/api/dashboard/department?departmentId=${sides[cell.scope].departmentId}` }),
    check: (body) => expect(ids(body, "officerId")).toContain(callers.officer.id),
  },
  "GET /api/reports/handled": {
    request: async (cell) => ({ path: `/api/reports/handled?departmentId=${sides[cell.scope].departmentId}` }),
    check: (body) => expect(ids(body, "officerId")).toContain(callers.officer.id),
  },
};

// ---------------------------------------------------------------------------------------------

const WATCHED = ["letters", "files", "audit", "stats", "directory"] as const;
let lastSnapshot: string[] = [];

async function snapshotNow(): Promise<string[]> {
  lastSnapshot = await h.snapshot([...WATCHED]);
  dirty = false;
  return lastSnapshot;
}

beforeAll(async () => {
  h = await startHarness("records-matrix", { extraGroups: ["dashboard", "search"] });
  streams = new DynamoDBStreamsClient({ ...LOCAL_AWS, endpoint: dynamoEndpoint() });
  const { handler: indexer } = await import("../../../functions/streams/search-indexer");
  poller = await startStreamPoller({
    dynamo: h.dynamo,
    streams,
    checkpointTable: `${h.tables.search}-checkpoints`,
    consumers: STREAM_CONSUMERS.filter((c) => c.entry === SEARCH_INDEXER_ENTRY).map((c) => ({
      name: c.name,
      tableName: h.tables[c.table],
      handler: indexer,
      batchSize: c.batchSize,
    })),
    pollIntervalMs: 200,
    retryBackoffMs: 50,
    logger: quiet,
  });

  callers.registry = await h.person(DEMO.registry);
  callers.officer = await h.person(DEMO.officerA);
  callers.supervisor = await h.person(DEMO.supervisor);
  callers.admin = await h.person(DEMO.admin);
  callers.operator = await h.person("operator@ofisi.go.tz");
  officerB = await h.person(DEMO.officerB);
  sides.own = {
    name: "own",
    agencyId: h.demo.agencyId,
    departmentId: h.demo.departmentId,
    registry: callers.registry,
    registrar: officerB,
    assignee: callers.officer,
    supervisor: callers.supervisor,
  };

  const mfano = await h.addAgency("MFANO", "mfano.go.tz");
  const add = (email: string, roles: ("registry" | "officer" | "supervisor")[], supervisorId: string | null = null) =>
    h.addPerson({ agencyId: mfano.agencyId, email, roles, departmentId: mfano.departmentId, supervisorId });
  const supervisor = await add("msimamizi@mfano.go.tz", ["supervisor", "officer"]);
  sides.foreign = {
    name: "foreign",
    agencyId: mfano.agencyId,
    departmentId: mfano.departmentId,
    registry: await add("masjala@mfano.go.tz", ["registry"]),
    registrar: await add("afisa.b@mfano.go.tz", ["officer"], supervisor.id),
    assignee: await add("afisa.a@mfano.go.tz", ["officer"], supervisor.id),
    supervisor,
  };
  const f = sides.foreign;
  for (const v of [f.agencyId, f.departmentId, f.registry.id, f.registrar.id, f.assignee.id, f.supervisor.id]) secrets.add(v);
});

afterAll(async () => {
  await poller?.stop();
  streams?.destroy();
  await h?.stop();
});

const cells = Object.entries(EXPECTED).flatMap(([row, byScope]) =>
  SCOPES.flatMap((scope) => CALLERS.map((caller, i): Cell => ({ row, caller, scope, status: byScope[scope][i] ?? 401 }))),
);
const cellName = (cell: Cell) => `${cell.row} as ${cell.caller}, ${cell.scope} -> ${cell.status}`;

describe("route × role × agency matrix: files, letters, attachments, audit, search, dashboard", () => {
  it("has a row for every route of its groups, and every deployed route has a matrix", () => {
    expect(routesWithoutMatrix()).toEqual([]);
    expect([...new Set(Object.keys(EXPECTED).map(routeOf))].sort()).toEqual(matrixRoutes("records"));
    expect(Object.keys(SETUPS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const cell of cells) {
    const name = cellName(cell);
    it(name, async () => {
      const setupOf = SETUPS[cell.row];
      if (!setupOf) throw new Error(`No setup for ${cell.row}`);
      const req = await setupOf.request(cell);
      const token = cell.caller === "none" ? undefined : callers[cell.caller].token;
      const writes = methodOf(cell.row) !== "GET" && cell.status < 300;
      const before = writes ? [] : dirty ? await snapshotNow() : lastSnapshot;
      // Until the cell is checked to have written nothing, the next one takes a fresh snapshot.
      dirty = true;

      const res = await h.call(methodOf(cell.row), req.path, { token, body: req.body });

      expect(res.status, res.text).toBe(cell.status);
      if (cell.status >= 400) {
        expect(field(res.body, "error", "code"), res.text).toBe(ERROR_CODES[cell.status]);
      } else {
        for (const secret of secrets) expect(res.text, `shows ${secret} of the foreign agency`).not.toContain(secret);
        await setupOf.check?.(res.body, cell);
      }
      // A refused request, or a read, writes nothing.
      if (!writes) expect(await snapshotNow()).toEqual(before);
    });
  }
});
