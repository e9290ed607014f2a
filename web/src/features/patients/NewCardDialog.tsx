import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { api } from "../../api/client";
import { keys } from "../../api/keys";
import { Dialog } from "../../components/Dialog";
import { ApiProblem, problemText, unwrap } from "../../lib/problem";
import { CardFields } from "./CardFields";
import { useCardSettings } from "./data";
import { createBody, EMPTY_FORM, requiredMarks } from "./rules";

/** «Новая карта» (PAT-1): the card number is assigned; the new card opens. */
export function NewCardDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation("patients");
  const navigate = useNavigate();
  const queries = useQueryClient();
  const settings = useCardSettings();
  const [form, setForm] = useState(EMPTY_FORM);
  const create = useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/patients/cards", { body: createBody(form) })),
    onSuccess: (card) => {
      void queries.invalidateQueries({ queryKey: keys.patients });
      setForm(EMPTY_FORM);
      onClose();
      navigate(`/patients/${card.id}`);
    },
  });
  const errors = create.error instanceof ApiProblem ? create.error.fieldErrors() : {};
  return (
    <Dialog title={t("newCard")} open={open} onClose={onClose} className="wide">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <CardFields form={form} onChange={setForm} marks={requiredMarks(settings.data)} errors={errors} />
        {create.isError && (
          <p role="alert" className="form-error">
            {problemText(create.error)}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t("common:actions.cancel")}
          </button>
          <button type="submit" disabled={create.isPending}>
            {t("common:actions.save")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
