import { fileURLToPath } from "node:url";
import path from "node:path";

/** Repository root, so every asset path is absolute whatever the working directory is. */
export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

export function fromRoot(relative: string): string {
  return path.join(REPO_ROOT, relative);
}
