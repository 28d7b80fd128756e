import { QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { ReactNode } from "react";
import { subscribeAuthToken } from "../lib/auth-token";
import { createQueryClient } from "../lib/query-client";

export function AppProvider({ children }: { children: ReactNode }) {
  // One client for the app's lifetime, created lazily so a re-render never drops the cache.
  const [queryClient] = useState(createQueryClient);
  // A new or ended session must never show what the previous one loaded.
  useEffect(() => subscribeAuthToken(() => queryClient.clear()), [queryClient]);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
