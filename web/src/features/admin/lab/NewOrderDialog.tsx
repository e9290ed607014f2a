import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { Dialog } from "../../../components/Dialog";
import { Field } from "../../../components/Field";
import { ApiProblem, toProblem, unwrap } from "../../../lib/problem";
import { CardSearch, type CardSummary } from "../profexam/CardSearch";
import { lk, useLabs, useTests } from "./data";

/** «Создание направления на лабораторное исследование»: a card, a lab, the tests to order. */
export function NewOrderDialog({ onClose, onCreated }: { onClose(): void; onCreated(id: string): void }) {
  const { t } = useTranslation("lab");
  const queryClient = useQueryClient();
  const labs = useLabs();
  const [card, setCard] = useState<CardSummary | null>(null);
  const [labId, setLabId] = useState("");
  const activeLabs = (labs.data?.items ?? []).filter((lab) => lab.active);
  const lab = labId || activeLabs[0]?.id || "";
  const tests = useTests(lab);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!card) return;
    setBusy(true);
    setProblem(null);
    try {
      const order = unwrap(
        await api.POST("/api/lab/orders", {
          body: { patient_id: card.id, lab_id: lab, test_ids: [...chosen], note: note || null },
        }),
      );
      await queryClient.invalidateQueries({ queryKey: lk.orders });
      onCreated(order.id);
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  }

  const errors = problem?.fieldErrors() ?? {};
  return (
    <Dialog title={t("orders.new")} open onClose={onClose} className="wide">
      <form onSubmit={submit} noValidate>
        <CardSearch onChoose={setCard} chosenId={card?.id} />
        {card && (
          <p role="status">
            {t("orders.patientChosen", { name: `${card.last_name} ${card.first_name}`, number: card.card_number })}
          </p>
        )}
        {errors.patient_id && <p className="field-error">{errors.patient_id}</p>}
        <Field label={t("orders.lab")} error={errors.lab_id}>
          <select
            value={lab}
            onChange={(e) => {
              setLabId(e.target.value);
              setChosen(new Set());
            }}
          >
            {activeLabs.map((item) => (
              <option key={item.id} value={item.id}>
                {item.name}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="lab-tests">
          <legend>{t("orders.tests")}</legend>
          {(tests.data?.items ?? [])
            .filter((test) => test.active)
            .map((test) => (
              <label key={test.id}>
                <input
                  type="checkbox"
                  checked={chosen.has(test.id)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.target.checked) next.add(test.id);
                    else next.delete(test.id);
                    setChosen(next);
                  }}
                />{" "}
                {test.code} — {test.name} <span className="muted">({test.container_name})</span>
              </label>
            ))}
          {errors.test_ids && <p className="field-error">{errors.test_ids}</p>}
        </fieldset>
        <Field label={t("orders.note")} error={errors.note}>
          <input value={note} onChange={(e) => setNote(e.target.value)} />
        </Field>
        {problem && (
          <p role="alert" className="field-error">
            {problem.message}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" disabled={busy || !card || chosen.size === 0}>
            {t("orders.create")}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            {t("actions.cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
