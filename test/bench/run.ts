/**
 * `npm run bench`: measurements that are goals, not tests (they print a table and never fail on a
 * number). Each benchmark is a module here; this runner executes them in order.
 *   - startup: time from `npm start` (fresh data) to a healthy `/api/health` (goal < 15 s on 2 cores)
 *   - bundles: each Lambda bundle's minified size, AWS SDK included (goal < 300 KB)
 *   - dashboard: GET /api/dashboard with 100 / 10,000 / 100,000 letters for one officer (goal: flat
 *     within 1.5x, at most 2 DynamoDB requests per call); seeding takes about ten minutes on two
 *     cores. `DASHBOARD_BENCH_SIZES` (e.g. `100,10000`) measures other sizes.
 *   - search: search latency at 10k, 100k and 1M letters (goal: p95 at 1M within 1.5x of p95 at 10k);
 *     not run by default (it takes about ten minutes): `npm run bench -- search`. `SEARCH_BENCH_SIZES`
 *     (e.g. `10000,100000`) measures other sizes.
 */
import { benchStartup } from "./startup";
import { benchBundles } from "./bundles";
import { benchDashboard } from "./dashboard";
import { benchSearch } from "./search";

interface Row {
  benchmark: string;
  measure: string;
  value: string;
  goal: string;
  met: string;
}

const rows: Row[] = [];
const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

if (want("startup")) rows.push(...(await benchStartup()));
if (want("bundles")) rows.push(...(await benchBundles()));
if (want("dashboard")) rows.push(...(await benchDashboard()));
if (only.includes("search")) {
  const sizes = process.env.SEARCH_BENCH_SIZES?.split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0);
  rows.push(...(await benchSearch(sizes && sizes.length > 0 ? { sizes } : {})));
}

console.log("");
console.table(rows);
