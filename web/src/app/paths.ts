export const paths = {
  home: "/",
  status: "/status",
  login: "/login",
  profile: "/profile",
  adminUsers: "/admin/users",
  adminDepartments: "/admin/departments",
  adminSettings: "/admin/settings",
  operatorAgencies: "/operator/agencies",
} as const;
