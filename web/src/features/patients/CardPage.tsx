/**
 * «Карта пациента»: every field in sections, saved with the version it was read at (`If-Match`);
 * the API's field messages next to the fields; then the patient's appointments (SCH-18), discount
 * cards (PAT-7), the paper card (PAT-9), the ONDOC attach code (OND-2) and the journal (PAT-8).
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { api } from "../../api/client";
import { keys } from "../../api/keys";
import { useUser } from "../../auth/AuthProvider";
import { Dialog } from "../../components/Dialog";
import { useNotice } from "../../components/Notice";
import { useClinic } from "../../lib/clinic";
import { ApiProblem, problemText, unwrap } from "../../lib/problem";
import { clinicDateTime } from "../../lib/time";
import { AttachCode } from "./AttachCode";
import { CardAppointments } from "./CardAppointments";
import { CardFields } from "./CardFields";
import { CardHistory } from "./CardHistory";
import { DiscountCards } from "./DiscountCards";
import { PaperCard } from "./PaperCard";
import { RestoreButton } from "./RestoreButton";
import { etagOf, useCard, useCardSettings, type VersionedCard } from "./data";
import { formOfCard, fullName, patchBody, requiredMarks, type CardForm } from "./rules";
import "./patients.css";

/** What is being edited: the form, and the version and values it started from. */
interface Draft {
  etag: string;
  initial: CardForm;
  form: CardForm;
}

export default function CardPage() {
  const { cardId = "" } = useParams();
  const { t } = useTranslation("patients");
  const loaded = useCard(cardId);
  if (loaded.isPending) return <p role="status">{t("common:loading")}</p>;
  if (loaded.isError) {
    return (
      <p role="alert" className="form-error">
        {problemText(loaded.error)} <Link to="/patients">{t("backToSearch")}</Link>
      </p>
    );
  }
  return <CardView versioned={loaded.data} refetch={() => void loaded.refetch()} />;
}

function CardView({ versioned, refetch }: { versioned: VersionedCard; refetch(): void }) {
  const { t } = useTranslation("patients");
  const { zone } = useClinic();
  const user = useUser();
  const notice = useNotice();
  const queries = useQueryClient();
  const settings = useCardSettings();
  const { card, etag } = versioned;
  const [draft, setDraft] = useState<Draft | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [ondocMissing, setOndocMissing] = useState<Record<string, string>>({});
  const canEdit = user.can("patients.write") && !card.deleted;

  const save = useMutation({
    mutationFn: async (editing: Draft) => {
      const result = await api.PATCH("/api/patients/cards/{card_id}", {
        params: { path: { card_id: card.id }, header: { "If-Match": editing.etag } },
        body: patchBody(editing.initial, editing.form),
      });
      const saved = unwrap(result);
      return { card: saved, etag: etagOf(result.response, saved) };
    },
    onSuccess: (saved) => {
      queries.setQueryData(keys.card(card.id), saved);
      void queries.invalidateQueries({ queryKey: keys.patients });
      void queries.invalidateQueries({ queryKey: [...keys.card(card.id), "history"] });
      setDraft(null);
      setOndocMissing({});
      notice(t("saved"));
    },
  });
  const remove = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.DELETE("/api/patients/cards/{card_id}", {
          params: { path: { card_id: card.id }, header: { "If-Match": etag } },
        }),
      ),
    onSuccess: () => {
      setDeleting(false);
      notice(t("deleted", { name: fullName(card) }));
    },
    onError: (error) => notice(problemText(error), "error"),
    onSettled: () => {
      void queries.invalidateQueries({ queryKey: keys.card(card.id) });
      void queries.invalidateQueries({ queryKey: keys.patients });
    },
  });

  const problem = save.error instanceof ApiProblem ? save.error : null;
  const stale = problem?.status === 412;
  const form = draft?.form ?? formOfCard(card);
  const dirty = draft !== null && Object.keys(patchBody(draft.initial, draft.form)).length > 0;

  return (
    <article className="card-page" aria-labelledby="card-title">
      <p>
        <Link to="/patients">{t("backToSearch")}</Link>
      </p>
      <div className="page-head">
        <h1 id="card-title">
          {fullName(card)} <span className="muted card-number">{t("cardNumber", { number: card.card_number })}</span>
        </h1>
        <div className="badges">
          {card.deleted && <span className="badge deleted">{t("badge.deleted")}</span>}
          {card.vip && <span className="badge vip">VIP</span>}
          {card.is_minor && <span className="badge">{t("badge.minor")}</span>}
          {card.age !== null && <span className="badge">{t("age", { count: card.age })}</span>}
        </div>
        <div className="head-actions">
          {card.deleted && user.can("patients.delete") && <RestoreButton card={card} etag={etag} />}
          {!card.deleted && user.can("patients.delete") && (
            <button type="button" className="danger" onClick={() => setDeleting(true)}>
              {t("common:actions.delete")}
            </button>
          )}
        </div>
      </div>
      {card.deleted && <p className="notice-line">{t("deletedNote")}</p>}

      <form
        className="panel"
        aria-label={t("cardForm")}
        onSubmit={(event) => {
          event.preventDefault();
          if (draft && dirty) save.mutate(draft);
        }}
      >
        <CardFields
          form={form}
          marks={requiredMarks(settings.data)}
          errors={{ ...ondocMissing, ...(problem && !stale ? problem.fieldErrors() : {}) }}
          disabled={!canEdit}
          onChange={(next) => setDraft({ etag: draft?.etag ?? etag, initial: draft?.initial ?? formOfCard(card), form: next })}
        />
        {save.isError && (
          <div role="alert" className="form-error">
            {stale ? t("changedElsewhere") : problemText(save.error)}
            {stale && (
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setDraft(null);
                  save.reset();
                  refetch();
                }}
              >
                {t("reload")}
              </button>
            )}
          </div>
        )}
        <p className="muted audit-line">
          {t("createdBy", { at: clinicDateTime(card.created_at, zone), user: card.created_by_username ?? "—" })}
          {" · "}
          {t("updatedBy", { at: clinicDateTime(card.updated_at, zone), user: card.updated_by_username ?? "—" })}
        </p>
        {canEdit && (
          <div className="form-actions">
            <button
              type="button"
              className="secondary"
              disabled={!draft}
              onClick={() => {
                setDraft(null);
                save.reset();
              }}
            >
              {t("discard")}
            </button>
            <button type="submit" disabled={!dirty || save.isPending}>
              {t("common:actions.save")}
            </button>
          </div>
        )}
      </form>

      <div className="card-sections">
        <CardAppointments card={card} />
        {user.can("ondoc.attach") && <AttachCode card={card} onMissing={setOndocMissing} />}
        <PaperCard card={card} etag={etag} />
        <DiscountCards card={card} />
        <CardHistory cardId={card.id} />
      </div>

      <Dialog title={t("deleteTitle")} open={deleting} onClose={() => setDeleting(false)}>
        <p>{t("deleteQuestion", { name: fullName(card), number: card.card_number })}</p>
        <div className="form-actions">
          <button type="button" className="secondary" onClick={() => setDeleting(false)}>
            {t("common:actions.cancel")}
          </button>
          <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
            {t("common:actions.delete")}
          </button>
        </div>
      </Dialog>
    </article>
  );
}
