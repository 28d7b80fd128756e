import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The config is loaded from the repository root (`vite build --config web/vite.config.ts` and the e2e
// helper), so the root is pinned to this folder rather than taken from the working directory.
const root = fileURLToPath(new URL(".", import.meta.url));

// `npm start` serves the built app itself; the dev server only proxies the API to a running local runtime.
const apiTarget = process.env.OFISI_API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    host: "127.0.0.1",
    proxy: { "/api": { target: apiTarget, changeOrigin: false } },
  },
});
