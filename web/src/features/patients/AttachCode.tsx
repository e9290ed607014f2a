/**
 * «Привязать к OnDoc» (OND-2): a 9-digit code for the patient's ONDOC account, shown large to read
 * out or print; the notifier also sends it to the patient's contact.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { useUser } from "../../auth/AuthProvider";
import { useNotice } from "../../components/Notice";
import { useClinic } from "../../lib/clinic";
import { ApiProblem, problemText, unwrap } from "../../lib/problem";
import { clinicDateTime } from "../../lib/time";
import { fullName, groupCode, missingForOndoc, type Card } from "./rules";

interface Props {
  card: Card;
  /** The card's fields ONDOC needs and the card lacks: shown at those fields (an empty object clears them). */
  onMissing(errors: Record<string, string>): void;
}

export function AttachCode({ card, onMissing }: Props) {
  const { t } = useTranslation("patients");
  const { zone } = useClinic();
  const user = useUser();
  const notice = useNotice();
  const links = useQuery({
    queryKey: ["ondoc-links", card.id],
    enabled: user.can("ondoc.read"),
    queryFn: async () =>
      unwrap(await api.GET("/api/ondoc/links", { params: { query: { patient_id: card.id, status: "attached", limit: 1 } } })),
  });
  const issue = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST("/api/ondoc/patients/{patient_id}/attach-code", { params: { path: { patient_id: card.id } } })),
    onSuccess: () => onMissing({}),
    onError: (error) => onMissing(error instanceof ApiProblem && error.status === 422 ? missingForOndoc(error) : {}),
  });
  const code = issue.data;
  const attached = (links.data?.total ?? 0) > 0;
  return (
    <section className="panel" aria-labelledby="card-ondoc">
      <h2 id="card-ondoc">{t("ondoc.title")}</h2>
      {links.isSuccess && <p>{attached ? t("ondoc.attached") : t("ondoc.notAttached")}</p>}
      <button type="button" disabled={card.deleted || issue.isPending} onClick={() => issue.mutate()}>
        {t("ondoc.issue")}
      </button>
      {issue.isError && (
        <p role="alert" className="form-error">
          {problemText(issue.error)}
        </p>
      )}
      {code && (
        <div className="attach-code-print">
          <p className="print-only">{t("ondoc.printFor", { name: fullName(card), number: card.card_number })}</p>
          <p className="attach-code" aria-label={t("ondoc.codeLabel")}>
            {groupCode(code.code)}
          </p>
          <p>{t("ondoc.expires", { at: clinicDateTime(code.expires_at, zone) })}</p>
          <p className="muted">{t(`ondoc.sentTo.${code.contact_priority}`)}</p>
          <p className="print-only">{t("ondoc.howTo")}</p>
          <div className="toolbar no-print">
            <button type="button" className="secondary" onClick={() => window.print()}>
              {t("common:actions.print")}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() =>
                void navigator.clipboard
                  .writeText(code.code)
                  .then(() => notice(t("ondoc.copied")))
                  .catch(() => notice(t("ondoc.copyFailed"), "error"))
              }
            >
              {t("ondoc.copy")}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
