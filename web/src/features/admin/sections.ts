/**
 * The back office's menu, in the source documentation's structure (Справочники; Сервис →
 * Настройки системы; Служба → Настройки службы; Профосмотр; Лаборатория; Пользователи и пароли).
 * A section shows only to users holding one of its rights.
 */
export interface AdminSection {
  path: string; // under /admin/
  labelKey: string; // in the "common" namespace
  rights: string[]; // any one of them opens the section
}

export const ADMIN_SECTIONS: AdminSection[] = [
  { path: "directories", labelKey: "admin.directories", rights: ["scheduling.directories"] },
  { path: "schedules", labelKey: "admin.schedules", rights: ["scheduling.schedules"] },
  { path: "online", labelKey: "admin.online", rights: ["scheduling.settings", "scheduling.directories"] },
  { path: "mailings", labelKey: "admin.mailings", rights: ["notifier.settings", "notifier.schedules", "notifier.read"] },
  { path: "ondoc", labelKey: "admin.ondoc", rights: ["ondoc.settings", "ondoc.read"] },
  { path: "profexam", labelKey: "admin.profexam", rights: ["profexam.read"] },
  { path: "lab", labelKey: "admin.lab", rights: ["lab.read", "lab.settings"] },
  { path: "users", labelKey: "admin.users", rights: ["gateway.users", "gateway.audit"] },
];

export function visibleSections(can: (right: string) => boolean): AdminSection[] {
  return ADMIN_SECTIONS.filter((section) => section.rights.some(can));
}
