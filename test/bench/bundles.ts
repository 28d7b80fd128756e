import { buildFunctions } from "../../scripts/build-functions";

const GOAL_BYTES = 300 * 1024;

/** Bundles every Lambda handler as `npm run build` does and reports each bundle's minified size. */
export async function benchBundles() {
  const bundles = await buildFunctions();
  return bundles.map(({ name, bytes }) => ({
    benchmark: "bundle size",
    measure: `${name} (minified, AWS SDK included)`,
    value: `${(bytes / 1024).toFixed(1)} KB`,
    goal: "< 300 KB",
    met: bytes < GOAL_BYTES ? "yes" : "no",
  }));
}
