// Hook point for sign-in (a later issue): the API client sends whatever token is stored here.
const tokenStorageKey = "ofisi.token";

export function getAuthToken(): string | null {
  try {
    return window.localStorage.getItem(tokenStorageKey);
  } catch {
    return null;
  }
}

export function setAuthToken(token: string): void {
  window.localStorage.setItem(tokenStorageKey, token);
}

export function clearAuthToken(): void {
  window.localStorage.removeItem(tokenStorageKey);
}
