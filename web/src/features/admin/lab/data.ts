/** What «Лаборатория» reads: labs, tests, links, orders (a sent order is polled until its results are in). */
import { useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "../../../api/client";
import { unwrap } from "../../../lib/problem";

export type Lab = Schemas["LabLabRead"];
export type LabTest = Schemas["LabLabTestRead"];
export type Order = Schemas["LabOrderRead"];
export type OrderStatus = Order["status"];
export type CatalogueReport = Schemas["LabCatalogueReport"];

export const lk = {
  all: ["lab"] as const,
  labs: ["lab", "labs"] as const,
  tests: (labId: string) => ["lab", "tests", labId] as const,
  links: (testId: string) => ["lab", "links", testId] as const,
  orders: ["lab", "orders"] as const,
  order: (id: string) => ["lab", "order", id] as const,
  settings: ["lab", "settings"] as const,
};

export const ORDER_STATUSES: OrderStatus[] = ["created", "sent", "in_progress", "completed", "cancelled"];

export function useLabs() {
  return useQuery({
    queryKey: lk.labs,
    queryFn: async () => unwrap(await api.GET("/api/lab/labs", { params: { query: { limit: 200 } } })),
  });
}

export function useTests(labId: string) {
  return useQuery({
    queryKey: lk.tests(labId),
    enabled: !!labId,
    queryFn: async () => unwrap(await api.GET("/api/lab/tests", { params: { query: { lab_id: labId, limit: 500 } } })),
  });
}

export function useOrders(filter: { status: string; lab_id: string }) {
  return useQuery({
    queryKey: [...lk.orders, filter],
    refetchInterval: 10_000, // the worklist follows the exchange without a reload
    queryFn: async () =>
      unwrap(
        await api.GET("/api/lab/orders", {
          params: {
            query: {
              status: (filter.status || null) as OrderStatus | null,
              lab_id: filter.lab_id || null,
              limit: 100,
            },
          },
        }),
      ),
  });
}

/** An order with its `ETag`; polled every 3 s while the exchange with the lab is under way. */
export function useOrder(id: string) {
  return useQuery({
    queryKey: lk.order(id),
    refetchInterval: (query) => {
      const order = query.state.data?.order;
      if (!order) return false;
      // Sent, or queued for sending (the status turns «sent» only once the lab takes it).
      const waiting =
        order.status === "sent" ||
        order.status === "in_progress" ||
        (order.status === "created" && order.exchange?.state === "pending");
      return waiting ? 3_000 : false;
    },
    queryFn: async () => {
      const result = await api.GET("/api/lab/orders/{order_id}", { params: { path: { order_id: id } } });
      const order = unwrap(result);
      return { order, etag: result.response.headers.get("ETag") ?? `"${order.version}"` };
    },
  });
}
