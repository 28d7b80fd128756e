/**
 * `npm run bench`: measurements that are goals, not tests (they print a table and never fail on a
 * number). Each benchmark is a module here; this runner executes them in order.
 *   - startup: time from `npm start` (fresh data) to a healthy `/api/health` (goal < 15 s on 2 cores)
 *   - bundles: each Lambda bundle's minified size, AWS SDK included (goal < 300 KB)
 */
import { benchStartup } from "./startup";
import { benchBundles } from "./bundles";

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

console.log("");
console.table(rows);
