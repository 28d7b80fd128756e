import { GetCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Role } from "../functions/core/roles";
import { DirectoryStore } from "../functions/store/directory";

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
export async function seedDemoData(doc: DynamoDBDocumentClient, directoryTable: string): Promise<boolean> {
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
  for (const email of ["admin@demo.go.tz", "registry@demo.go.tz"]) {
    const u = login(email);
    await directory.createUser(demo.id, { email, name: u.name, roles: u.roles, departmentId: adm.id });
  }
  const sup = login("supervisor@demo.go.tz");
  const supervisor = await directory.createUser(demo.id, {
    email: sup.email,
    name: sup.name,
    roles: sup.roles,
    departmentId: adm.id,
  });
  for (const email of ["officer.a@demo.go.tz", "officer.b@demo.go.tz"]) {
    const u = login(email);
    await directory.createUser(demo.id, {
      email,
      name: u.name,
      roles: u.roles,
      departmentId: adm.id,
      supervisorId: supervisor.id,
    });
  }

  await doc.send(new PutCommand({ TableName: directoryTable, Item: { ...SEED_MARKER, seededAt: new Date().toISOString() } }));
  return true;
}
