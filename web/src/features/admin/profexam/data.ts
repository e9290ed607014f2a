/** What «Профосмотр» reads: organisations, their contracts and exams, an exam's employees and calculations. */
import { useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "../../../api/client";
import { unwrap } from "../../../lib/problem";

export type Organization = Schemas["ProfexamOrganizationRead"];
export type Contract = Schemas["ProfexamContractRead"];
export type Exam = Schemas["ProfexamExamRead"];
export type Employee = Schemas["ProfexamEmployeeRead"];
export type ImportReport = Schemas["ProfexamImportReport"];
export type Calculation = Schemas["ProfexamCalculationSummary"];
export type Price = Schemas["ProfexamPriceRead"];

/** Query keys of this section (not in the shared list: no live event names them). */
export const pk = {
  all: ["profexam"] as const,
  organizations: ["profexam", "organizations"] as const,
  contracts: (orgId: string) => ["profexam", "contracts", orgId] as const,
  prices: (contractId: string) => ["profexam", "prices", contractId] as const,
  exams: (orgId: string) => ["profexam", "exams", orgId] as const,
  employees: (examId: string) => ["profexam", "employees", examId] as const,
  calculations: (examId: string) => ["profexam", "calculations", examId] as const,
  mappings: (orgId: string) => ["profexam", "mappings", orgId] as const,
  factors: (q: string) => ["profexam", "factors", q] as const,
};

export function useOrganizations() {
  return useQuery({
    queryKey: pk.organizations,
    queryFn: async () => unwrap(await api.GET("/api/profexam/organizations", { params: { query: { limit: 200 } } })),
  });
}

export function useContracts(orgId: string) {
  return useQuery({
    queryKey: pk.contracts(orgId),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/profexam/organizations/{organization_id}/contracts", {
          params: { path: { organization_id: orgId } },
        }),
      ),
  });
}

export function usePrices(contractId: string) {
  return useQuery({
    queryKey: pk.prices(contractId),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/profexam/contracts/{contract_id}/prices", {
          params: { path: { contract_id: contractId }, query: { limit: 200 } },
        }),
      ),
  });
}

export function useExams(orgId: string) {
  return useQuery({
    queryKey: pk.exams(orgId),
    queryFn: async () =>
      unwrap(await api.GET("/api/profexam/exams", { params: { query: { organization_id: orgId, limit: 200 } } })),
  });
}

export function useEmployees(examId: string) {
  return useQuery({
    queryKey: pk.employees(examId),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/profexam/exams/{exam_id}/employees", {
          params: { path: { exam_id: examId }, query: { limit: 200 } },
        }),
      ),
  });
}

export function useCalculations(examId: string) {
  return useQuery({
    queryKey: pk.calculations(examId),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/profexam/exams/{exam_id}/calculations", {
          params: { path: { exam_id: examId }, query: { limit: 200 } },
        }),
      ),
  });
}

export function useMappings(orgId: string) {
  return useQuery({
    queryKey: pk.mappings(orgId),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/profexam/organizations/{organization_id}/factor-mappings", {
          params: { path: { organization_id: orgId } },
        }),
      ),
  });
}

/** The harmful factor dictionary of Order 29n (a few hundred codes: one page). */
export function useHarmfulFactors() {
  return useQuery({
    queryKey: pk.factors(""),
    staleTime: 30 * 60_000,
    queryFn: async () => unwrap(await api.GET("/api/profexam/harmful-factors", { params: { query: { limit: 500 } } })),
  });
}
