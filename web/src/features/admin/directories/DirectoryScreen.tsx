import { useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { keys } from "../../../api/keys";
import { Dialog } from "../../../components/Dialog";
import { Field } from "../../../components/Field";
import { useNotice } from "../../../components/Notice";
import { problemText } from "../../../lib/problem";
import type { ColumnDescription, DirectoryDescription, DirectoryName } from "./descriptions";
import { deleteItem, getItem, listItems } from "./directoryApi";
import { matches, type Item } from "./form";
import { ItemDialog } from "./ItemDialog";

/** Query key of a directory as this screen loads it: under `keys.directory(name)`, so one invalidation refreshes every screen. */
const adminKey = (name: DirectoryName, activeOnly: boolean) => [...keys.directory(name), "admin", { activeOnly }];

/** The directories a description's selects and columns name. */
function sourcesOf(description: DirectoryDescription): DirectoryName[] {
  const names = [...description.columns, ...description.fields].flatMap((field) => (field.source ? [field.source] : []));
  return [...new Set(names)];
}

/** One directory: search, «Показывать неактивные», the table, «Добавить», «Изменить», «Удалить». */
export function DirectoryScreen({ description }: { description: DirectoryDescription }) {
  const { t } = useTranslation("directories");
  const { t: common } = useTranslation();
  const [query, setQuery] = useState("");
  const [inactiveToo, setInactiveToo] = useState(false);
  const [editing, setEditing] = useState<{ id: string | null } | null>(null);
  const [deleting, setDeleting] = useState<Item | null>(null);
  const title = t(`titles.${description.title}`);

  const items = useQuery({
    queryKey: adminKey(description.name, !inactiveToo),
    queryFn: () => listItems(description.name, !inactiveToo),
  });
  const sourceNames = sourcesOf(description);
  const sourceLists = useQueries({
    queries: sourceNames.map((name) => ({ queryKey: adminKey(name, false), queryFn: () => listItems(name, false) })),
  });
  const sources: Partial<Record<DirectoryName, Item[]>> = Object.fromEntries(
    sourceNames.map((name, index) => [name, sourceLists[index]?.data ?? []]),
  );
  const shown = (items.data ?? []).filter((item) => matches(description, item, query));

  return (
    <section aria-labelledby="directory-title" className="directory">
      <h1 id="directory-title">{title}</h1>
      <div className="toolbar">
        <Field label={t("search")}>
          <input type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
        </Field>
        <label className="inline">
          <input type="checkbox" checked={inactiveToo} onChange={(event) => setInactiveToo(event.target.checked)} />
          {t("inactiveToo")}
        </label>
        <button type="button" onClick={() => setEditing({ id: null })}>
          {t("add")}
        </button>
      </div>
      {items.isPending && <p role="status">{common("loading")}</p>}
      {items.isError && (
        <p role="alert" className="form-error">
          {problemText(items.error)}
        </p>
      )}
      {items.data && (
        <>
          <table className="list">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                {description.columns.map((column) => (
                  <th key={column.name} scope="col">
                    {t(`fields.${column.label}`)}
                  </th>
                ))}
                <th scope="col">
                  <span className="visually-hidden">{t("actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((item) => (
                <tr key={item.id} className={item.active ? undefined : "inactive-row"}>
                  {description.columns.map((column) => (
                    <td key={column.name}>
                      <Cell column={column} value={item[column.name]} sources={sources} />
                    </td>
                  ))}
                  <td>
                    <div className="row-actions">
                      <button type="button" className="secondary" onClick={() => setEditing({ id: item.id })}>
                        {t("edit")}
                      </button>
                      <button type="button" className="secondary" onClick={() => setDeleting(item)}>
                        {common("actions.delete")}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">{shown.length === 0 ? common("empty") : t("count", { count: shown.length })}</p>
        </>
      )}
      {editing && (
        <ItemDialog description={description} itemId={editing.id} sources={sources} onClose={() => setEditing(null)} />
      )}
      {deleting && <DeleteDialog description={description} item={deleting} onClose={() => setDeleting(null)} />}
    </section>
  );
}

/** A table cell as a person reads it: names for ids, Да/Нет, a colour swatch, a price. */
function Cell({
  column,
  value,
  sources,
}: {
  column: ColumnDescription;
  value: unknown;
  sources: Partial<Record<DirectoryName, Item[]>>;
}) {
  const { t } = useTranslation("directories");
  if (value === null || value === undefined || value === "") return null;
  const nameOf = (id: unknown) => String(sources[column.source as DirectoryName]?.find((item) => item.id === id)?.name ?? "");
  switch (column.kind) {
    case "boolean":
      return <>{value ? t("yes") : t("no")}</>;
    case "colour":
      return (
        <span className="colour-cell">
          <span className="swatch" style={{ background: String(value) }} aria-hidden="true" />
          {String(value)}
        </span>
      );
    case "select":
      return <>{nameOf(value)}</>;
    case "multiselect":
      return <>{(Array.isArray(value) ? value : []).map(nameOf).filter(Boolean).join(", ")}</>;
    case "money":
      return <>{Number(value).toLocaleString("ru-RU", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}</>;
    default:
      return <>{String(value)}</>;
  }
}

/** «Удалить» with confirmation; the API's refusal (in use, system or reserved item) shown as it says it. */
function DeleteDialog({ description, item, onClose }: { description: DirectoryDescription; item: Item; onClose(): void }) {
  const { t } = useTranslation("directories");
  const { t: common } = useTranslation();
  const queries = useQueryClient();
  const notice = useNotice();
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function confirm() {
    setBusy(true);
    try {
      const { etag } = await getItem(description.name, item.id);
      await deleteItem(description.name, item.id, etag);
      await queries.invalidateQueries({ queryKey: keys.directory(description.name) });
      notice(t("deleted"), "ok");
      onClose();
    } catch (error) {
      setRefusal(problemText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={t("confirmDeleteTitle")} open onClose={onClose}>
      <p>{t("confirmDelete", { name: String(item.name) })}</p>
      {refusal && (
        <div role="alert" className="form-error">
          <strong>{t("deleteRefused")}. </strong>
          {refusal}
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="secondary" onClick={onClose}>
          {refusal ? common("actions.close") : common("actions.cancel")}
        </button>
        {!refusal && (
          <button type="button" className="danger" onClick={() => void confirm()} disabled={busy}>
            {common("actions.delete")}
          </button>
        )}
      </div>
    </Dialog>
  );
}
