/**
 * Realistic bilingual letters for the search benchmark: Kiswahili and English subjects, senders,
 * organisations and summaries as a Tanzanian registry receives them, from a seeded generator (the
 * same seed gives the same archive). Letter `n` of `count` is registered at an even pace over five
 * years, so the newest letters have the highest numbers.
 */
import type { Letter } from "../../functions/core/letters";
import type { Classification } from "../../functions/core/records";

export const BENCH_AGENCY = "bench-agency";
export const BENCH_REGISTRY = "bench-registry";
export const BENCH_DEPARTMENT = "bench-dept";

function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, pick };
}

const PLACES = [
  "Dodoma", "Arusha", "Mwanza", "Mbeya", "Tanga", "Morogoro", "Kigoma", "Mtwara", "Lindi", "Iringa", "Singida", "Tabora",
  "Shinyanga", "Kagera", "Geita", "Njombe", "Ruvuma", "Rukwa", "Katavi", "Simiyu", "Songwe", "Manyara", "Pwani",
  "Kilimanjaro", "Mara", "Kongwa", "Bahi", "Mpwapwa", "Chamwino", "Kondoa", "Babati", "Karatu", "Monduli", "Same",
  "Korogwe", "Muheza", "Pangani", "Kilosa", "Gairo", "Ulanga", "Ifakara", "Kasulu", "Kibondo", "Masasi", "Newala",
];
const ITEMS_SW = ["vifaa vya ofisi", "kompyuta mpakato", "gari la kazi", "samani za ofisi", "karatasi na wino", "dawa na vifaa tiba", "madawati ya shule", "pikipiki", "mafuta ya magari", "sare za watumishi"];
const ITEMS_EN = ["office equipment", "laptop computers", "a utility vehicle", "office furniture", "stationery", "medical supplies", "school desks", "motorcycles", "fuel", "staff uniforms"];
const TOPICS_SW = ["mapato na matumizi", "ukaguzi wa ndani", "utekelezaji wa bajeti", "mradi wa maji", "ujenzi wa barabara", "huduma za afya", "elimu bila malipo", "usafi wa mazingira", "ulinzi na usalama", "mafunzo ya watumishi"];
const TOPICS_EN = ["revenue and expenditure", "internal audit", "budget execution", "the water project", "road construction", "health services", "fee-free education", "environmental sanitation", "safety and security", "staff training"];
const PERIODS = ["robo ya kwanza", "robo ya pili", "robo ya tatu", "robo ya nne", "nusu mwaka", "mwaka wa fedha"];
const PERIODS_EN = ["the first quarter", "the second quarter", "the third quarter", "the fourth quarter", "the half year", "the financial year"];
const FIRST = ["Asha", "Juma", "Neema", "Baraka", "Rehema", "Hamisi", "Zawadi", "Emmanuel", "Grace", "Mwanaisha", "Joseph", "Halima", "Petro", "Upendo", "Salim", "Faraji", "Amina", "Daudi", "Tumaini", "Saida"];
const LAST = ["Mwakyusa", "Mollel", "Kimaro", "Massawe", "Mushi", "Hassan", "Mohamed", "Lyimo", "Shirima", "Njau", "Mwita", "Komba", "Nyirenda", "Swai", "Temba", "Mrema", "Kombo", "Mfinanga", "Chande", "Makame"];
const MINISTRIES_SW = ["Fedha", "Afya", "Elimu", "Maji", "Kilimo", "Ujenzi", "Nishati", "Ardhi", "Mambo ya Ndani", "Utumishi"];
const MINISTRIES_EN = ["Finance", "Health", "Education", "Water", "Agriculture", "Works", "Energy", "Lands", "Home Affairs", "Public Service"];
const PHRASES_SW = [
  "Tunaomba kibali cha kuendelea na utekelezaji",
  "Kwa mujibu wa maelekezo ya serikali",
  "Taarifa imeambatishwa kwa hatua zaidi",
  "Tunaomba mrejesho kabla ya mwisho wa mwezi",
  "Watumishi wamepatiwa mafunzo ya awali",
  "Fedha zilizoidhinishwa hazijatolewa bado",
  "Kikao kitafanyika katika ukumbi wa mikutano",
  "Tafadhali mshughulikie ombi hili kwa haraka",
];
const PHRASES_EN = [
  "We request approval to proceed with implementation",
  "In line with the government directive",
  "The report is attached for further action",
  "Kindly respond before the end of the month",
  "Staff have received initial training",
  "The approved funds have not yet been released",
  "The meeting will be held in the conference hall",
  "Please treat this request as urgent",
];

/** Rare words, planted in about one letter in this many; the benchmark's "rare term". */
export const RARE_WORD = "Mbuguni";
export const RARE_EVERY = 5_000;
/** A word in about a third of the letters: the "common term" ("ombi", request). */
export const COMMON_WORD = "ombi";
/** Two words, one common and one less so, that meet in about one letter in a hundred. */
export const TWO_WORDS = "ombi kongwa";

const YEAR_MS = 365 * 24 * 3600 * 1000;
const START = Date.parse("2021-07-01T06:00:00.000Z");

/** Letter `n` (1-based) of an archive of `count` letters. */
export function benchLetter(n: number, count: number): Letter {
  const { next, pick } = generator(n * 7919 + 17);
  const english = next() < 0.35;
  const place = pick(PLACES);
  let subject: string;
  const form = Math.floor(next() * 6);
  if (english) {
    const ministry = pick(MINISTRIES_EN);
    subject = [
      `Request for ${pick(ITEMS_EN)} for ${place} office`,
      `Report on ${pick(TOPICS_EN)} for ${pick(PERIODS_EN)}`,
      `Invitation to a meeting on ${pick(TOPICS_EN)}`,
      `Complaint about ${pick(TOPICS_EN)} in ${place}`,
      `Approval of travel to ${place}`,
      `Circular from the Ministry of ${ministry}`,
    ][form] as string;
  } else {
    subject = [
      `Ombi la ${pick(ITEMS_SW)} kwa ofisi ya ${place}`,
      `Taarifa ya ${pick(TOPICS_SW)} ya ${pick(PERIODS)}`,
      `Mwaliko wa kikao kuhusu ${pick(TOPICS_SW)}`,
      `Malalamiko kuhusu ${pick(TOPICS_SW)} ${place}`,
      `Ombi la kibali cha safari ya kikazi ${place}`,
      `Ombi la likizo ya mwaka ya mtumishi`,
    ][form] as string;
  }
  const summaryParts = [pick(english ? PHRASES_EN : PHRASES_SW), pick(english ? PHRASES_EN : PHRASES_SW)];
  if (next() < 0.12) summaryParts.push(english ? `Internal audit of revenue collection in ${place}` : `Ukaguzi wa mapato ya halmashauri ${place}`);
  if (n % RARE_EVERY === 1) summaryParts.push(`Kijiji cha ${RARE_WORD}`);
  const organisation = english
    ? pick([`Ministry of ${pick(MINISTRIES_EN)}`, `${place} Regional Secretariat`, "Tanzania Revenue Authority", "Medical Stores Department"])
    : pick([`Wizara ya ${pick(MINISTRIES_SW)}`, `Halmashauri ya Wilaya ya ${place}`, `Ofisi ya Mkuu wa Mkoa ${place}`, "Chuo Kikuu cha Dodoma"]);
  const at = new Date(START + Math.floor(((n - 1) / count) * 5 * YEAR_MS) + Math.floor(next() * 1000)).toISOString();
  const year = at.slice(0, 4);
  const r = next();
  const classification: Classification = r < 0.2 ? "OPEN" : r < 0.9 ? "RESTRICTED" : "CONFIDENTIAL";
  const assignee = `officer-${Math.floor(next() * 50)}`;
  const closed = n < count * 0.95;
  return {
    id: `L${String(n).padStart(7, "0")}`,
    agencyId: BENCH_AGENCY,
    reference: `DEMO/IN/${year}/${String(n).padStart(6, "0")}`,
    direction: "INCOMING",
    subject,
    summary: summaryParts.join(". "),
    sender: {
      name: `${pick(FIRST)} ${pick(LAST)}`,
      organisation,
      ...(next() < 0.5 ? { reference: `${place.slice(0, 3).toUpperCase()}/${Math.floor(next() * 900) + 100}/${year}` } : {}),
    },
    classification,
    priority: "NORMAL",
    status: closed ? "CLOSED" : "FOR_ACTION",
    assigneeId: assignee,
    approverId: null,
    departmentId: BENCH_DEPARTMENT,
    fileId: null,
    folio: null,
    dueAt: at,
    overdue: false,
    requiresApproval: false,
    chain: [BENCH_REGISTRY, assignee],
    registeredBy: BENCH_REGISTRY,
    createdAt: at,
    updatedAt: at,
    closedAt: closed ? at : null,
    version: closed ? 4 : 1,
  };
}
