import { createBrowserRouter, RouterProvider } from "react-router-dom";
import { AppLayout } from "./layout/app-layout";
import { paths } from "./paths";
import { HomeRoute } from "./routes/home";
import { NotFoundRoute } from "./routes/not-found";
import { StatusRoute } from "./routes/status";

const router = createBrowserRouter([
  {
    element: <AppLayout />,
    children: [
      { index: true, element: <HomeRoute /> },
      { path: paths.status, element: <StatusRoute /> },
      { path: "*", element: <NotFoundRoute /> },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
