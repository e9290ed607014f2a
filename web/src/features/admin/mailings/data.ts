/** The notifier's API as the «Рассылки» screens use it: query keys, loaders, the seven schedule types. */
import { useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "../../../api/client";
import { unwrap } from "../../../lib/problem";

export type Settings = Schemas["NotifierSettingsRead"];
export type SettingsUpdate = Schemas["NotifierSettingsUpdate"];
export type Schedule = Schemas["NotifierScheduleRead"];
export type ScheduleCreate = Schemas["NotifierScheduleCreate"];
export type ScheduleType = Schedule["type"];
export type Message = Schemas["NotifierMessageRead"];
export type TemplateParameter = Schemas["NotifierTemplateParameterRead"];

export const notifierKeys = {
  all: ["notifier"] as const,
  settings: ["notifier", "settings"] as const,
  schedules: ["notifier", "schedules"] as const,
  parameters: ["notifier", "template-parameters"] as const,
  defaults: ["notifier", "default-templates"] as const,
  messages: (filters: object) => ["notifier", "messages", filters] as const,
  fakeSms: ["notifier", "fake", "sms"] as const,
  fakeEmails: ["notifier", "fake", "emails"] as const,
};

/** The seven types in the source's order (Служба → График рассылки → «Тип задачи»). */
export const SCHEDULE_TYPES: ScheduleType[] = [
  "days_before_appointment",
  "days_before_birthday",
  "minutes_before_appointment",
  "after_services",
  "after_status_change",
  "lab_result_ready",
  "discount_card_issued",
];

export type ParameterField =
  | "days"
  | "send_time"
  | "minutes"
  | "day_type_ids"
  | "only_created_on_sending_day"
  | "set_communication_status_id"
  | "service_ids"
  | "days_after"
  | "status_id"
  | "minutes_after"
  | "only_when_all_done";

/** Which parameters each type has (the API's NotifierScheduleCreate descriptions). */
export const TYPE_FIELDS: Record<ScheduleType, ParameterField[]> = {
  days_before_appointment: ["days", "send_time", "set_communication_status_id"],
  days_before_birthday: ["days", "send_time"],
  minutes_before_appointment: ["minutes", "day_type_ids", "only_created_on_sending_day", "set_communication_status_id"],
  after_services: ["service_ids", "days_after", "send_time"],
  after_status_change: ["minutes", "status_id", "day_type_ids", "only_created_on_sending_day"],
  lab_result_ready: ["minutes_after", "only_when_all_done"],
  discount_card_issued: ["minutes_after"],
};

export const ALL_FIELDS: ParameterField[] = [...new Set(Object.values(TYPE_FIELDS).flat())];

export function useSettings() {
  return useQuery({
    queryKey: notifierKeys.settings,
    queryFn: async () => {
      const result = await api.GET("/api/notifier/settings");
      const data = unwrap(result);
      return { settings: data, etag: result.response.headers.get("ETag") ?? '"0"' };
    },
  });
}

export function useSchedules() {
  return useQuery({
    queryKey: notifierKeys.schedules,
    queryFn: async () => unwrap(await api.GET("/api/notifier/schedules", { params: { query: { limit: 500 } } })).items,
  });
}

export function useTemplateParameters() {
  return useQuery({
    queryKey: notifierKeys.parameters,
    staleTime: Infinity,
    queryFn: async () => unwrap(await api.GET("/api/notifier/template-parameters")).items,
  });
}

export function useDefaultTemplates() {
  return useQuery({
    queryKey: notifierKeys.defaults,
    staleTime: Infinity,
    queryFn: async () => unwrap(await api.GET("/api/notifier/default-templates")).items,
  });
}

export function useDayTypes() {
  return useQuery({
    queryKey: ["directory", "day-types"],
    queryFn: async () => unwrap(await api.GET("/api/scheduling/day-types", { params: { query: { limit: 500 } } })).items,
  });
}

export function useCommunicationStatuses() {
  return useQuery({
    queryKey: ["directory", "communication-statuses"],
    queryFn: async () =>
      unwrap(await api.GET("/api/scheduling/communication-statuses", { params: { query: { limit: 500 } } })).items,
  });
}
