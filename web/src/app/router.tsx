import { createBrowserRouter, RouterProvider } from "react-router-dom";
import { RequireAuth, RequireRole } from "../features/auth/components/require-auth";
import { AppLayout } from "./layout/app-layout";
import { paths } from "./paths";
import { letterRegistrarRoles } from "../features/letters/api/schemas";
import { AgenciesRoute, DepartmentsRoute, SettingsRoute, UsersRoute } from "./routes/admin";
import { DepartmentDashboardRoute, ReportsRoute } from "./routes/dashboard";
import { FileRoute, FilesRoute } from "./routes/files";
import { HomeRoute } from "./routes/home";
import { InboxRoute, LetterRoute, RegisterLetterRoute } from "./routes/letters";
import { LoginRoute } from "./routes/login";
import { MailboxRoute } from "./routes/mailbox";
import { NotFoundRoute } from "./routes/not-found";
import { ProfileRoute } from "./routes/profile";
import { SearchRoute } from "./routes/search";
import { StatusRoute } from "./routes/status";

const router = createBrowserRouter([
  {
    element: <AppLayout />,
    children: [
      // Public: signing in, the system status and the not-found page.
      { path: paths.login, element: <LoginRoute /> },
      { path: paths.status, element: <StatusRoute /> },
      // The local runtime's mailbox: readable before signing in (it holds the sign-in codes).
      { path: paths.devMailbox, element: <MailboxRoute /> },
      {
        element: <RequireAuth />,
        children: [
          { index: true, element: <HomeRoute /> },
          { path: paths.profile, element: <ProfileRoute /> },
          { path: paths.letters, element: <InboxRoute /> },
          { path: paths.letter, element: <LetterRoute /> },
          { path: paths.files, element: <FilesRoute /> },
          { path: paths.file, element: <FileRoute /> },
          { path: paths.search, element: <SearchRoute /> },
          {
            element: <RequireRole role={letterRegistrarRoles} />,
            children: [{ path: paths.registerLetter, element: <RegisterLetterRoute /> }],
          },
          {
            element: <RequireRole role={["supervisor", "admin"]} />,
            children: [
              { path: paths.departmentDashboard, element: <DepartmentDashboardRoute /> },
              { path: paths.reports, element: <ReportsRoute /> },
            ],
          },
          {
            element: <RequireRole role="admin" />,
            children: [
              { path: paths.adminUsers, element: <UsersRoute /> },
              { path: paths.adminDepartments, element: <DepartmentsRoute /> },
              { path: paths.adminSettings, element: <SettingsRoute /> },
            ],
          },
          {
            element: <RequireRole role="operator" />,
            children: [{ path: paths.operatorAgencies, element: <AgenciesRoute /> }],
          },
        ],
      },
      { path: "*", element: <NotFoundRoute /> },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
