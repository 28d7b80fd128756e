import { queryOptions, useQuery } from "@tanstack/react-query";
import * as z from "zod";
import { ApiError, apiRequest } from "../../../lib/api";
import { getAuthToken } from "../../../lib/auth-token";

/** `GET /api/dashboard`, `/api/dashboard/department` and `/api/reports/handled` (DESIGN.md section 6). */

const count = z.number().int();
const handledSchema = z.object({ today: count, week: count, month: count });

export const dashboardSchema = z.object({
  forAction: count,
  inProgress: count,
  overdue: count,
  awaitingApproval: count,
  handled: handledSchema,
  daily: z.array(z.object({ date: z.string(), handled: count })),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export const departmentRowSchema = z.object({
  officerId: z.string(),
  name: z.string(),
  email: z.string(),
  active: z.boolean(),
  forAction: count,
  inProgress: count,
  overdue: count,
  awaitingApproval: count,
  handled: handledSchema,
});
export type DepartmentRow = z.infer<typeof departmentRowSchema>;

export const departmentDashboardSchema = z.object({
  department: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  timezone: z.string(),
  today: z.string(),
  items: z.array(departmentRowSchema),
});

export const reportRowSchema = z.object({
  officerId: z.string(),
  officer: z.string(),
  email: z.string(),
  departmentId: z.string().nullable(),
  department: z.string().nullable(),
  handled: count,
  averageHandleSeconds: z.number().nullable(),
  overdue: count,
  handledLate: count,
});
export type ReportRow = z.infer<typeof reportRowSchema>;

export const handledReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  timezone: z.string(),
  departmentId: z.string().nullable(),
  items: z.array(reportRowSchema),
});

export const dashboardQueryKey = ["dashboard"] as const;

export const dashboardQueryOptions = queryOptions({
  queryKey: [...dashboardQueryKey, "me"],
  queryFn: ({ signal }) => apiRequest({ path: "/dashboard", schema: dashboardSchema, signal }),
  // The counters move whenever a letter moves, also by other people's hands: read them often.
  refetchInterval: 30_000,
  refetchOnWindowFocus: true,
  staleTime: 0,
});

export function useDashboard() {
  return useQuery(dashboardQueryOptions);
}

export function useDepartmentDashboard(departmentId: string | undefined) {
  return useQuery({
    queryKey: [...dashboardQueryKey, "department", departmentId ?? "mine"],
    queryFn: ({ signal }) => {
      const query = departmentId ? `?${new URLSearchParams({ departmentId })}` : "";
      return apiRequest({ path: `/dashboard/department${query}`, schema: departmentDashboardSchema, signal });
    },
    refetchInterval: 60_000,
  });
}

export type ReportRequest = { from: string; to: string; departmentId?: string };

function reportQuery(request: ReportRequest, format: "json" | "csv"): string {
  const query = new URLSearchParams({ from: request.from, to: request.to, format });
  if (request.departmentId) query.set("departmentId", request.departmentId);
  return query.toString();
}

export function useHandledReport(request: ReportRequest | null) {
  return useQuery({
    queryKey: [...dashboardQueryKey, "report", request],
    queryFn: ({ signal }) => apiRequest({ path: `/reports/handled?${reportQuery(request as ReportRequest, "json")}`, schema: handledReportSchema, signal }),
    enabled: request !== null,
  });
}

/**
 * Downloads the report as CSV: the file needs the bearer token, so it is fetched like any API
 * call and handed to the browser as a Blob link.
 */
export async function downloadHandledCsv(request: ReportRequest): Promise<void> {
  const headers = new Headers({ Accept: "text/csv" });
  const token = getAuthToken();
  if (token) headers.set("Authorization", `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(`/api/reports/handled?${reportQuery(request, "csv")}`, { headers, credentials: "same-origin" });
  } catch (cause) {
    throw new ApiError(0, "NETWORK_ERROR", "The server could not be reached", undefined, { cause });
  }
  if (!response.ok) throw new ApiError(response.status, response.status === 403 ? "FORBIDDEN" : "HTTP_ERROR", `HTTP ${response.status}`);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement("a");
    link.href = url;
    link.download = `ripoti-${request.from}-${request.to}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // Give the browser a moment to start the download before the URL goes.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
