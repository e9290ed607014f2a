import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { keys } from "../../../api/keys";
import { Dialog } from "../../../components/Dialog";
import { useNotice } from "../../../components/Notice";
import { ApiProblem, problemText } from "../../../lib/problem";
import type { DirectoryDescription, DirectoryName } from "./descriptions";
import { createItem, getItem, updateItem } from "./directoryApi";
import { bodyOf, errorsByField, initialValues, type FormValue, type FormValues, type Item } from "./form";
import { FieldControl } from "./FieldControl";

interface Props {
  description: DirectoryDescription;
  /** The item to edit, or null for a new one. */
  itemId: string | null;
  /** The items of the directories the form's selects choose from. */
  sources: Partial<Record<DirectoryName, Item[]>>;
  onClose(): void;
}

interface Loaded {
  values: FormValues;
  /** The form as the item was when opened: only what differs is sent. */
  before?: FormValues;
  etag?: string;
  name?: string;
}

/** «Добавить» / «Изменить»: the item's form in a dialog; the API's refusals next to their fields. */
export function ItemDialog({ description, itemId, sources, onClose }: Props) {
  const { t } = useTranslation("directories");
  const { t: common } = useTranslation();
  const queries = useQueryClient();
  const notice = useNotice();
  const [loaded, setLoaded] = useState<Loaded | null>(itemId ? null : { values: initialValues(description) });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const title = t(`titles.${description.title}`);

  async function load(id: string) {
    const { item, etag } = await getItem(description.name, id);
    const values = initialValues(description, item);
    setLoaded({ values, before: values, etag, name: String(item.name) });
  }

  useEffect(() => {
    if (itemId) load(itemId).catch((error: unknown) => setFormError(problemText(error)));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per opened item
  }, [itemId]);

  function change(name: string, value: FormValue) {
    setLoaded((current) => current && { ...current, values: { ...current.values, [name]: value } });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!loaded) return;
    setSaving(true);
    setFieldErrors({});
    setFormError(null);
    try {
      const body = bodyOf(description, loaded.values, loaded.before);
      if (itemId) {
        if (Object.keys(body).length > 0) await updateItem(description.name, itemId, loaded.etag, body);
      } else await createItem(description.name, body);
      await queries.invalidateQueries({ queryKey: keys.directory(description.name) });
      notice(t("saved"), "ok");
      onClose();
    } catch (error) {
      await refused(error);
    } finally {
      setSaving(false);
    }
  }

  async function refused(error: unknown) {
    if (!(error instanceof ApiProblem)) return setFormError(problemText(error));
    if (error.status === 412 && itemId) {
      // Someone saved the item meanwhile: show their version rather than overwrite it.
      await load(itemId).catch(() => undefined);
      return setFormError(t("changedMeanwhile"));
    }
    const { fields, other } = errorsByField(description, error.body.errors ?? []);
    const field = typeof error.body.field === "string" ? error.body.field : undefined;
    if (field && description.fields.some((f) => f.name === field)) fields[field] ??= error.message;
    setFieldErrors(fields);
    if (other.length > 0 || Object.keys(fields).length === 0) setFormError([error.message, ...other].join(" "));
  }

  const dialogTitle = itemId ? t("editItem", { title, name: loaded?.name ?? "" }) : t("newItem", { title });
  return (
    <Dialog title={dialogTitle} open onClose={onClose} className="directory-dialog">
      {!loaded ? (
        formError ? (
          <p role="alert" className="form-error">
            {formError}
          </p>
        ) : (
          <p role="status">{common("loading")}</p>
        )
      ) : (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <div className="form-grid directory-form">
            {description.fields.map((field) => (
              <FieldControl
                key={field.name}
                field={field}
                value={loaded.values[field.name] ?? ""}
                onChange={(value) => change(field.name, value)}
                error={fieldErrors[field.name]}
                options={field.source ? (sources[field.source] ?? []) : []}
              />
            ))}
          </div>
          <p className="muted">* {t("required")}</p>
          {formError && (
            <p role="alert" className="form-error">
              {formError}
            </p>
          )}
          <div className="form-actions">
            <button type="button" className="secondary" onClick={onClose}>
              {common("actions.cancel")}
            </button>
            <button type="submit" disabled={saving}>
              {common("actions.save")}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
