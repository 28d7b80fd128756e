import { fileURLToPath } from "node:url";
import path from "node:path";

/** Repository root, so every asset path is absolute whatever the working directory is. */
export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** A repository-relative path made absolute; an absolute path is kept as it is. */
export function fromRoot(relative: string): string {
  return path.resolve(REPO_ROOT, relative);
}
