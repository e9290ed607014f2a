import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { useUser } from "../../../auth/AuthProvider";
import { Dialog } from "../../../components/Dialog";
import { useNotice } from "../../../components/Notice";
import { ApiProblem, unwrap } from "../../../lib/problem";
import { notifierKeys, useSchedules, type Schedule } from "./data";
import { ScheduleDialog } from "./ScheduleDialog";

/** «График рассылки»: every schedule with its type, channel and parameters; add, change, delete. */
export function SchedulesTab() {
  const { t } = useTranslation("mailings");
  const user = useUser();
  const notice = useNotice();
  const client = useQueryClient();
  const schedules = useSchedules();
  const [editing, setEditing] = useState<Schedule | "new" | null>(null);
  const [deleting, setDeleting] = useState<Schedule | null>(null);
  const canEdit = user.can("notifier.schedules");
  /** The type's numbers at a glance: «2 дн. · 14:00», «0 мин»… */
  const summary = (s: Schedule) =>
    [
      s.days != null && t("summary.days", { count: s.days }),
      s.days_after != null && t("summary.days", { count: s.days_after }),
      s.minutes != null && t("summary.minutes", { count: s.minutes }),
      s.minutes_after != null && t("summary.minutes", { count: s.minutes_after }),
      s.send_time && s.send_time.slice(0, 5),
    ]
      .filter(Boolean)
      .join(" · ");
  const remove = useMutation({
    mutationFn: async (schedule: Schedule) =>
      unwrap(await api.DELETE("/api/notifier/schedules/{schedule_id}", { params: { path: { schedule_id: schedule.id } } })),
    onSuccess: async () => {
      notice(t("schedules.deleted"), "ok");
      setDeleting(null);
      await client.invalidateQueries({ queryKey: notifierKeys.schedules });
    },
    onError: (error) => notice(error instanceof ApiProblem ? error.message : String(error), "error"),
  });
  return (
    <div>
      <div className="toolbar">
        <h2>{t("schedules.title")}</h2>
        {canEdit && (
          <button type="button" onClick={() => setEditing("new")}>
            {t("schedules.add")}
          </button>
        )}
      </div>
      {schedules.isError && <p role="alert">{schedules.error.message}</p>}
      {schedules.data && schedules.data.length === 0 && <p className="muted">{t("schedules.empty")}</p>}
      {schedules.data && schedules.data.length > 0 && (
        <table className="list">
          <caption className="visually-hidden">{t("schedules.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("schedules.name")}</th>
              <th scope="col">{t("schedules.type")}</th>
              <th scope="col">{t("schedules.parameters")}</th>
              <th scope="col">{t("schedules.channel")}</th>
              <th scope="col">{t("schedules.enabledColumn")}</th>
              <th scope="col">{t("schedules.template")}</th>
              {canEdit && <th scope="col">{t("actionsColumn")}</th>}
            </tr>
          </thead>
          <tbody>
            {schedules.data.map((schedule) => (
              <tr key={schedule.id}>
                <th scope="row">{schedule.name}</th>
                <td>{t(`types.${schedule.type}`)}</td>
                <td>{summary(schedule)}</td>
                <td>{t(`channels.${schedule.channel}`)}</td>
                <td>{schedule.enabled ? t("yes") : t("no")}</td>
                <td className="template-cell">{schedule.template}</td>
                {canEdit && (
                  <td className="row-actions">
                    <button type="button" className="secondary" aria-label={t("schedules.editOne", { name: schedule.name })} onClick={() => setEditing(schedule)}>
                      {t("edit")}
                    </button>
                    <button type="button" className="danger" aria-label={t("schedules.deleteOne", { name: schedule.name })} onClick={() => setDeleting(schedule)}>
                      {t("delete")}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && <ScheduleDialog schedule={editing === "new" ? null : editing} onClose={() => setEditing(null)} />}
      <Dialog title={t("schedules.deleteTitle")} open={deleting !== null} onClose={() => setDeleting(null)}>
        <p>{t("schedules.deleteConfirm", { name: deleting?.name ?? "" })}</p>
        <div className="form-actions">
          <button type="button" className="danger" disabled={remove.isPending} onClick={() => deleting && remove.mutate(deleting)}>
            {t("delete")}
          </button>
          <button type="button" className="secondary" onClick={() => setDeleting(null)}>
            {t("cancel")}
          </button>
        </div>
      </Dialog>
    </div>
  );
}
