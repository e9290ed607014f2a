/**
 * The scheduling directories (SCH-1) the screens choose from, loaded once per session and kept
 * fresh by the live stream only through a reload (directories change rarely: five minutes).
 * Every list is at most 500 items, the API's page limit.
 */
import { useQuery } from "@tanstack/react-query";
import { unwrap } from "../lib/problem";
import { api, type Schemas } from "./client";
import { keys } from "./keys";

const FIVE_MINUTES = 5 * 60_000;
const ALL = { limit: 500 } as const;

function listQuery<T>(name: string, load: () => Promise<{ items: T[] }>) {
  return { queryKey: keys.directory(name), staleTime: FIVE_MINUTES, queryFn: async () => (await load()).items };
}

function useList<T>(name: string, load: () => Promise<{ items: T[] }>) {
  return useQuery(listQuery(name, load));
}

export type Doctor = Schemas["SchedulingDoctorRead"];

/** The active doctors: the schedule's columns (also asked for ahead by the first load). */
export const doctorsQuery = listQuery("doctors", async () =>
  unwrap(await api.GET("/api/scheduling/doctors", { params: { query: { ...ALL, active: true } } })),
);
export const useDoctors = () => useQuery(doctorsQuery);
export const useSpecializations = () =>
  useList("specializations", async () => unwrap(await api.GET("/api/scheduling/specializations", { params: { query: ALL } })));
export const useBuildings = () =>
  useList("buildings", async () => unwrap(await api.GET("/api/scheduling/buildings", { params: { query: ALL } })));
export const useCabinets = () =>
  useList("cabinets", async () => unwrap(await api.GET("/api/scheduling/cabinets", { params: { query: ALL } })));
export const useServices = () =>
  useList("services", async () => unwrap(await api.GET("/api/scheduling/services", { params: { query: ALL } })));
export const useAppointmentKinds = () =>
  useList("appointment-kinds", async () => unwrap(await api.GET("/api/scheduling/appointment-kinds", { params: { query: ALL } })));
export const useInfoSources = () =>
  useList("info-sources", async () => unwrap(await api.GET("/api/scheduling/info-sources", { params: { query: ALL } })));
export const useRecordTypes = () =>
  useList("record-types", async () => unwrap(await api.GET("/api/scheduling/record-types", { params: { query: ALL } })));
export const useAppointmentStatuses = () =>
  useList("appointment-statuses", async () =>
    unwrap(await api.GET("/api/scheduling/appointment-statuses", { params: { query: ALL } })),
  );
export const useDeletionReasons = () =>
  useList("deletion-reasons", async () => unwrap(await api.GET("/api/scheduling/deletion-reasons", { params: { query: ALL } })));

/** "Смирнова А. С." — how the source's screens name a doctor in a column header. */
export function doctorShortName(doctor: Pick<Doctor, "last_name" | "first_name" | "middle_name">): string {
  const initials = [doctor.first_name, doctor.middle_name]
    .filter((part): part is string => Boolean(part))
    .map((part) => `${part[0]}.`)
    .join(" ");
  return initials ? `${doctor.last_name} ${initials}` : doctor.last_name;
}
