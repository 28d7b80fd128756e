import { GetCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Department, User } from "../functions/core/directory";
import { openFile } from "../functions/core/files";
import { registerLetter, transition, type ActionInput, type Actor, type Direction } from "../functions/core/letters";
import type { Classification, Priority } from "../functions/core/records";
import { addDays, localYear } from "../functions/core/records";
import { fileReference, fileSeries, letterReference, letterSeries } from "../functions/core/references";
import type { Role } from "../functions/core/roles";
import { AuditStore } from "../functions/store/audit";
import { DirectoryStore } from "../functions/store/directory";
import { FileStore } from "../functions/store/files";
import { LetterStore } from "../functions/store/letters";
import { StatsStore } from "../functions/store/stats";
import type { TableKey } from "../functions/store/tables";
import { localTableNames } from "./tables";

/** The demo logins printed by `npm start` (DESIGN.md section 8). */
export const DEMO_LOGINS: readonly { email: string; roles: Role[]; name: string }[] = [
  { email: "operator@ofisi.go.tz", roles: ["operator"], name: "Mwendeshaji wa Mfumo" },
  { email: "admin@demo.go.tz", roles: ["admin"], name: "Asha Msimamizi" },
  { email: "registry@demo.go.tz", roles: ["registry"], name: "Rehema Masjala" },
  { email: "supervisor@demo.go.tz", roles: ["supervisor", "officer"], name: "Salim Mkuu" },
  { email: "officer.a@demo.go.tz", roles: ["officer"], name: "Amina Afisa" },
  { email: "officer.b@demo.go.tz", roles: ["officer"], name: "Baraka Afisa" },
];

const SEED_MARKER = { pk: "LOCAL#SEED", sk: "SEED" };

/**
 * Seeds the demo data on first start: the platform operator (agency OFISI, domain ofisi.go.tz) and
 * the demo agency DEMO (domain demo.go.tz) with its department ADM and users. Returns false when
 * the data was already there.
 */
export async function seedDemoData(
  doc: DynamoDBDocumentClient,
  directoryTable: string,
  // The local tables share one prefix (`<prefix>Directory`, `<prefix>Letters`, ...; see tables.ts).
  tables: Record<TableKey, string> = localTableNames(directoryTable.replace(/Directory$/, "")),
): Promise<boolean> {
  const marker = await doc.send(new GetCommand({ TableName: directoryTable, Key: SEED_MARKER }));
  if (marker.Item) return false;

  const directory = new DirectoryStore(doc, directoryTable);
  const platform = await directory.createAgency({
    code: "OFISI",
    name: "Ofisi Mtandao — Waendeshaji wa Jukwaa",
    emailDomains: ["ofisi.go.tz"],
  });
  const demo = await directory.createAgency({ code: "DEMO", name: "Wakala wa Mfano (Demo Agency)", emailDomains: ["demo.go.tz"] });
  const adm = await directory.createDepartment(demo.id, { code: "ADM", name: "Utawala na Rasilimali Watu" });

  const byEmail = new Map(DEMO_LOGINS.map((login) => [login.email, login]));
  const login = (email: string) => {
    const found = byEmail.get(email);
    if (!found) throw new Error(`No demo login ${email}`);
    return found;
  };
  const op = login("operator@ofisi.go.tz");
  await directory.createUser(platform.id, { email: op.email, name: op.name, roles: op.roles, departmentId: null });
  const users = new Map<string, User>();
  for (const email of ["admin@demo.go.tz", "registry@demo.go.tz"]) {
    const u = login(email);
    users.set(email, await directory.createUser(demo.id, { email, name: u.name, roles: u.roles, departmentId: adm.id }));
  }
  const sup = login("supervisor@demo.go.tz");
  const supervisor = await directory.createUser(demo.id, {
    email: sup.email,
    name: sup.name,
    roles: sup.roles,
    departmentId: adm.id,
  });
  users.set(sup.email, supervisor);
  for (const email of ["officer.a@demo.go.tz", "officer.b@demo.go.tz"]) {
    const u = login(email);
    const user = await directory.createUser(demo.id, {
      email,
      name: u.name,
      roles: u.roles,
      departmentId: adm.id,
      supervisorId: supervisor.id,
    });
    users.set(email, user);
  }
  await seedDemoRecords(doc, tables, { agencyId: demo.id, agencyCode: demo.code, department: adm, users });

  await doc.send(new PutCommand({ TableName: directoryTable, Item: { ...SEED_MARKER, seededAt: new Date().toISOString() } }));
  return true;
}

interface DemoLetter {
  subject: string;
  direction: Direction;
  sender?: { name: string; organisation?: string; reference?: string };
  summary: string;
  priority: Priority;
  classification?: Classification;
  assignee: string;
  file?: number;
  dueInDays: number;
  requiresApproval?: boolean;
  /** Actions taken after registration, by whom. */
  then: { by: string; input: ActionInput }[];
}

const DEMO_FILES: { title: string; classification: Classification; description: string }[] = [
  { title: "Mawasiliano ya Jumla", classification: "OPEN", description: "Barua za kawaida kutoka kwa wadau na taasisi nyingine" },
  { title: "Ajira na Watumishi", classification: "RESTRICTED", description: "Ajira, uhamisho na maslahi ya watumishi" },
];

const DEMO_LETTERS: DemoLetter[] = [
  {
    subject: "Mwaliko wa kikao cha wadau wa elimu",
    direction: "INCOMING",
    sender: { name: "Katibu Tawala wa Mkoa", organisation: "Ofisi ya Mkuu wa Mkoa wa Dodoma", reference: "RAS/DOD/ED/12" },
    summary: "Mwaliko wa kikao cha wadau tarehe ya mwisho wa mwezi; uthibitisho wa mshiriki unahitajika.",
    priority: "HIGH",
    assignee: "officer.a@demo.go.tz",
    file: 0,
    dueInDays: 3,
    then: [],
  },
  {
    subject: "Ombi la taarifa ya matumizi ya robo mwaka",
    direction: "INCOMING",
    sender: { name: "Mkaguzi wa Ndani", organisation: "Wizara ya Fedha" },
    summary: "Taarifa ya matumizi ya robo ya tatu inaombwa kabla ya ukaguzi.",
    priority: "NORMAL",
    assignee: "officer.a@demo.go.tz",
    file: 0,
    dueInDays: 7,
    then: [
      { by: "officer.a@demo.go.tz", input: { action: "accept" } },
      { by: "officer.a@demo.go.tz", input: { action: "minute", text: "Naandaa taarifa; nitawasilisha kesho." } },
    ],
  },
  {
    subject: "Maombi ya uhamisho wa mtumishi",
    direction: "INCOMING",
    sender: { name: "Bw. Juma Hassan" },
    summary: "Mtumishi anaomba uhamisho kwenda kituo cha Arusha kwa sababu za kifamilia.",
    priority: "NORMAL",
    classification: "CONFIDENTIAL",
    assignee: "officer.b@demo.go.tz",
    file: 1,
    dueInDays: 10,
    requiresApproval: true,
    then: [
      { by: "officer.b@demo.go.tz", input: { action: "accept" } },
      { by: "officer.b@demo.go.tz", input: { action: "submit" } },
    ],
  },
  {
    subject: "Taarifa ya mafunzo ya ndani",
    direction: "INTERNAL",
    summary: "Ratiba ya mafunzo ya TEHAMA kwa watumishi wote.",
    priority: "LOW",
    assignee: "officer.b@demo.go.tz",
    dueInDays: 14,
    then: [
      { by: "officer.b@demo.go.tz", input: { action: "accept" } },
      { by: "officer.b@demo.go.tz", input: { action: "complete" } },
    ],
  },
];

/** A few files and letters of the demo agency, in various states, written through the stores. */
async function seedDemoRecords(
  doc: DynamoDBDocumentClient,
  tables: Record<TableKey, string>,
  demo: { agencyId: string; agencyCode: string; department: Department; users: Map<string, User> },
): Promise<void> {
  const audit = new AuditStore(doc, tables.audit);
  const stats = new StatsStore(doc, tables.stats);
  const files = new FileStore(doc, tables.files, audit);
  const letters = new LetterStore(doc, tables.letters, { audit, stats, files });
  const timezone = "Africa/Dar_es_Salaam";
  const user = (email: string): User => {
    const found = demo.users.get(email);
    if (!found) throw new Error(`No demo user ${email}`);
    return found;
  };
  const asActor = (u: User): Actor => ({ userId: u.id, roles: u.roles, departmentId: u.departmentId });
  const registry = asActor(user("registry@demo.go.tz"));
  const now = new Date();
  const year = localYear(now, timezone);

  const fileIds: string[] = [];
  for (const spec of DEMO_FILES) {
    const file = await files.open({
      agencyId: demo.agencyId,
      series: fileSeries(demo.department.code, year),
      actorId: registry.userId,
      build: (n) =>
        openFile(
          {
            id: crypto.randomUUID(),
            agencyId: demo.agencyId,
            reference: fileReference(demo.agencyCode, demo.department.code, year, n),
            title: spec.title,
            description: spec.description,
            departmentId: demo.department.id,
            classification: spec.classification,
          },
          registry,
          now,
        ),
    });
    fileIds.push(file.id);
  }

  for (const spec of DEMO_LETTERS) {
    const assignee = user(spec.assignee);
    const registrar: Actor = spec.direction === "INCOMING" ? registry : asActor(assignee);
    const id = crypto.randomUUID();
    const fileId = spec.file === undefined ? undefined : fileIds[spec.file];
    await letters.register({
      agencyId: demo.agencyId,
      series: letterSeries(spec.direction, year),
      timezone,
      actorId: registrar.userId,
      fileId,
      build: (n, filing) =>
        registerLetter(
          {
            id,
            agencyId: demo.agencyId,
            reference: letterReference(demo.agencyCode, spec.direction, year, n),
            direction: spec.direction,
            subject: spec.subject,
            summary: spec.summary,
            sender: spec.sender ?? null,
            classification: spec.classification ?? filing?.file.classification ?? "RESTRICTED",
            priority: spec.priority,
            assigneeId: assignee.id,
            departmentId: demo.department.id,
            fileId: filing?.file.id ?? null,
            folio: filing?.folio ?? null,
            dueAt: addDays(now, spec.dueInDays).toISOString(),
            requiresApproval: spec.requiresApproval ?? false,
          },
          registrar,
          now,
        ),
    });
    for (const step of spec.then) {
      const actor = asActor(user(step.by));
      await letters.apply(demo.agencyId, id, {
        actorId: actor.userId,
        timezone,
        decide: (letter) => {
          const holder = [...demo.users.values()].find((u) => u.id === letter.assigneeId);
          return transition(letter, actor, step.input, { now: new Date(), assigneeSupervisorId: holder?.supervisorId ?? null });
        },
      });
    }
  }
}
