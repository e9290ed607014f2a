import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, type Schemas } from "../../../api/client";
import { useUser } from "../../../auth/AuthProvider";
import { useClinic } from "../../../lib/clinic";
import { ApiProblem, unwrap } from "../../../lib/problem";
import { clinicDateTime } from "../../../lib/time";
import { ondocKeys } from "./data";

/** The last upload of each directory and of the free slots; «Синхронизировать сейчас» uploads them at once. */
export function SyncTab() {
  const { t } = useTranslation("ondoc");
  const { zone } = useClinic();
  const user = useUser();
  const client = useQueryClient();
  const uploads = useQuery({
    queryKey: ondocKeys.uploads,
    queryFn: async () => unwrap(await api.GET("/api/ondoc/sync")).items,
  });
  const sync = useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/ondoc/sync")).items,
    onSuccess: (items) => client.setQueryData(ondocKeys.uploads, items),
    // A partial failure is a problem that still carries the upload of each directory.
    onError: (error) => {
      const uploads = error instanceof ApiProblem ? error.body.uploads : undefined;
      if (Array.isArray(uploads)) client.setQueryData(ondocKeys.uploads, uploads);
    },
  });
  const rows: Schemas["OndocUploadRead"][] = uploads.data ?? [];
  const failed = sync.data?.filter((item) => item.status === "failed") ?? [];
  return (
    <div>
      <div className="toolbar">
        <h2>{t("sync.title")}</h2>
        {user.can("ondoc.sync") && (
          <button type="button" disabled={sync.isPending} onClick={() => sync.mutate()}>
            {t("sync.now")}
          </button>
        )}
      </div>
      <div role="status">
        {sync.isPending && t("sync.running")}
        {sync.isSuccess && (failed.length === 0 ? t("sync.done") : t("sync.doneWithErrors", { count: failed.length }))}
      </div>
      {sync.isError && <p role="alert">{sync.error instanceof ApiProblem ? sync.error.message : String(sync.error)}</p>}
      {uploads.isError && <p role="alert">{uploads.error.message}</p>}
      {uploads.data?.length === 0 && <p className="muted">{t("sync.never")}</p>}
      {rows.length > 0 && (
        <table className="list">
          <caption className="visually-hidden">{t("sync.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("sync.kind")}</th>
              <th scope="col">{t("sync.status")}</th>
              <th scope="col">{t("sync.count")}</th>
              <th scope="col">{t("sync.lastAttempt")}</th>
              <th scope="col">{t("sync.lastSuccess")}</th>
              <th scope="col">{t("sync.error")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => (
              <tr key={u.kind}>
                <th scope="row">{t(`kinds.${u.kind}`)}</th>
                <td><span className={`badge status-${u.status === "uploaded" ? "sent" : "failed"}`}>{t(`sync.${u.status}`)}</span></td>
                <td>{u.item_count}</td>
                <td>{clinicDateTime(u.last_attempt_at, zone)}</td>
                <td>{u.last_success_at ? clinicDateTime(u.last_success_at, zone) : "—"}</td>
                <td>{u.last_error_text ?? u.last_error ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
