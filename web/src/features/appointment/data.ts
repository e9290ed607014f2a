/** The appointment's data as the card shows it: the appointment with its ETag, its statuses and journal. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "../../api/client";
import { keys } from "../../api/keys";
import { ApiProblem, unwrap } from "../../lib/problem";

export type Appointment = Schemas["SchedulingAppointmentRead"];

export interface Versioned {
  appointment: Appointment;
  /** the GET's ETag, sent back as If-Match with every change */
  etag: string;
}

export function useAppointment(id: string) {
  return useQuery({
    queryKey: keys.appointment(id),
    queryFn: async (): Promise<Versioned> => {
      const result = await api.GET("/api/scheduling/appointments/{appointment_id}", {
        params: { path: { appointment_id: id } },
      });
      const appointment = unwrap(result);
      return { appointment, etag: result.response.headers.get("ETag") ?? `"${appointment.version}"` };
    },
  });
}

export function useStatusHistory(id: string) {
  return useQuery({
    queryKey: [...keys.appointment(id), "statuses"],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/scheduling/appointments/{appointment_id}/status-history", {
          params: { path: { appointment_id: id } },
        }),
      ).items,
  });
}

export function useJournal(id: string) {
  return useQuery({
    queryKey: [...keys.appointment(id), "history"],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/scheduling/appointments/{appointment_id}/history", {
          params: { path: { appointment_id: id } },
        }),
      ).items,
  });
}

/** After a change: the card, the grid, the searches, the trash and the waiting list are stale. */
export function useRefreshAfterChange(id: string) {
  const queries = useQueryClient();
  return async () => {
    await Promise.all(
      [keys.appointment(id), keys.calendar, keys.appointments, keys.trash, keys.waitlist].map((queryKey) =>
        queries.invalidateQueries({ queryKey }),
      ),
    );
  };
}

/** 412: someone changed the appointment meanwhile (the card reloads, the user tries again). */
export function isStale(error: unknown): boolean {
  return error instanceof ApiProblem && error.status === 412;
}
