import { useSyncExternalStore } from "react";

// The API client sends whatever token is stored here; components follow it through `useAuthToken`.
const tokenStorageKey = "ofisi.token";

type Listener = () => void;
const listeners = new Set<Listener>();
let endedByUser = false;

function notify(): void {
  for (const listener of listeners) listener();
}

export function getAuthToken(): string | null {
  try {
    return window.localStorage.getItem(tokenStorageKey);
  } catch {
    return null;
  }
}

export function setAuthToken(token: string): void {
  endedByUser = false;
  window.localStorage.setItem(tokenStorageKey, token);
  notify();
}

/**
 * Ends the session. `byUser` marks a deliberate sign-out, after which the login page should not
 * offer to return to the page the user left (the next person to sign in may be someone else).
 */
export function clearAuthToken(options: { byUser?: boolean } = {}): void {
  endedByUser = options.byUser ?? false;
  try {
    window.localStorage.removeItem(tokenStorageKey);
  } finally {
    notify();
  }
}

/** Whether the last session ended by signing out rather than by lapsing. */
export function sessionEndedByUser(): boolean {
  return endedByUser;
}

/** Calls `listener` whenever the token changes, in this tab or (signing out elsewhere) another one. */
export function subscribeAuthToken(listener: Listener): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === tokenStorageKey || event.key === null) listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

/** The current token (null when signed out); re-renders when it changes. */
export function useAuthToken(): string | null {
  return useSyncExternalStore(subscribeAuthToken, getAuthToken, () => null);
}
