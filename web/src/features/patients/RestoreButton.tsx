import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { keys } from "../../api/keys";
import { useNotice } from "../../components/Notice";
import { problemText, unwrap } from "../../lib/problem";
import { fullName, type Card } from "./rules";

/** «Восстановить» a deleted card (PAT-5), from the version the list shows. */
export function RestoreButton({ card, etag }: { card: Card; etag?: string }) {
  const { t } = useTranslation("patients");
  const notice = useNotice();
  const queries = useQueryClient();
  const restore = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/api/patients/cards/{card_id}/restore", {
          params: { path: { card_id: card.id }, header: { "If-Match": etag ?? `"${card.version}"` } },
        }),
      ),
    onSuccess: () => notice(t("restored", { name: fullName(card) })),
    onError: (error) => notice(problemText(error), "error"),
    onSettled: () => {
      void queries.invalidateQueries({ queryKey: keys.patients });
      void queries.invalidateQueries({ queryKey: keys.card(card.id) });
    },
  });
  return (
    <button
      type="button"
      className="secondary"
      disabled={restore.isPending}
      aria-label={t("restoreNamed", { name: fullName(card) })}
      onClick={() => restore.mutate()}
    >
      {t("common:actions.restore")}
    </button>
  );
}
