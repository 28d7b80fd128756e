export const paths = {
  home: "/",
  status: "/status",
} as const;
