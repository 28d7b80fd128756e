import { QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import type { ReactNode } from "react";
import { createQueryClient } from "../lib/query-client";

export function AppProvider({ children }: { children: ReactNode }) {
  // One client for the app's lifetime, created lazily so a re-render never drops the cache.
  const [queryClient] = useState(createQueryClient);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
