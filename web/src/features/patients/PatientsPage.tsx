/**
 * «Пациенты» (the source's «Архив карт»): one search box for name, phone, card number or birth
 * date (PAT-3), the cards found page by page, «Новая карта» (PAT-1), deleted cards and their
 * restore (PAT-5). The search lives in the address, so «Назад» from a card comes back to it.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { useUser } from "../../auth/AuthProvider";
import { Field } from "../../components/Field";
import { ApiProblem, problemText } from "../../lib/problem";
import { formatDate } from "../../lib/time";
import { NewCardDialog } from "./NewCardDialog";
import { RestoreButton } from "./RestoreButton";
import { PAGE_SIZE, useCardSearch } from "./data";
import { cardQuery, formatPhone, fullName, SEARCH_MODES, type SearchMode } from "./rules";
import "./patients.css";

export default function PatientsPage() {
  const { t } = useTranslation("patients");
  const user = useUser();
  const [url, setUrl] = useSearchParams();
  const text = url.get("q") ?? "";
  const mode = (url.get("by") as SearchMode | null) ?? "auto";
  const includeDeleted = url.get("deleted") === "1";
  const page = Math.max(0, Number(url.get("page") ?? 0) || 0);
  const [typed, setTyped] = useState(text);
  const [creating, setCreating] = useState(false);

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(url);
    for (const [name, value] of Object.entries(changes)) {
      if (value === null || value === "") next.delete(name);
      else next.set(name, value);
    }
    setUrl(next, { replace: true });
  };

  // «Назад» to an earlier search shows its text in the box.
  useEffect(() => setTyped(text), [text]);

  // Typing searches after a pause; «Найти» (Enter) searches at once.
  useEffect(() => {
    if (typed === text) return;
    const timer = setTimeout(() => update({ q: typed, page: null }), 350);
    return () => clearTimeout(timer);
  }, [typed, text, url]); // eslint-disable-line react-hooks/exhaustive-deps -- `update` reads `url`

  const search = useCardSearch({ ...cardQuery(text, mode), include_deleted: includeDeleted, offset: page * PAGE_SIZE });
  const total = search.data?.total ?? 0;
  // A refused search names the filter the box was read as (a phone too short, say): show it at the box.
  const searchError = search.error instanceof ApiProblem ? Object.values(search.error.fieldErrors())[0] : undefined;
  const items = search.data?.items ?? [];

  return (
    <section className="patients" aria-labelledby="patients-title">
      <div className="page-head">
        <h1 id="patients-title">{t("title")}</h1>
        {user.can("patients.write") && (
          <button type="button" onClick={() => setCreating(true)}>
            {t("newCard")}
          </button>
        )}
      </div>
      <form
        className="toolbar panel"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          update({ q: typed, page: null });
        }}
      >
        <Field label={t("search.label")} className="field search-box" error={searchError}>
          <input
            type="search"
            value={typed}
            placeholder={t("search.placeholder")}
            onChange={(event) => setTyped(event.target.value)}
          />
        </Field>
        <Field label={t("search.by")}>
          <select value={mode} onChange={(event) => update({ by: event.target.value === "auto" ? null : event.target.value, page: null })}>
            {SEARCH_MODES.map((value) => (
              <option key={value} value={value}>
                {t(`search.mode.${value}`)}
              </option>
            ))}
          </select>
        </Field>
        <label className="inline">
          <input
            type="checkbox"
            checked={includeDeleted}
            onChange={(event) => update({ deleted: event.target.checked ? "1" : null, page: null })}
          />
          {t("search.includeDeleted")}
        </label>
        <button type="submit">{t("common:actions.search")}</button>
      </form>

      {search.isError && !searchError && (
        <p role="alert" className="form-error">
          {problemText(search.error)}
        </p>
      )}
      <div className="panel">
        <table className="list">
          <caption className="visually-hidden">{t("results")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("column.cardNumber")}</th>
              <th scope="col">{t("column.name")}</th>
              <th scope="col">{t("column.birthDate")}</th>
              <th scope="col">{t("column.phone")}</th>
              <th scope="col">{t("column.email")}</th>
              <th scope="col">{t("column.state")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((card) => (
              <tr key={card.id} className={card.deleted ? "deleted" : undefined}>
                <td>{card.card_number}</td>
                <td>
                  <Link to={`/patients/${card.id}`}>{fullName(card)}</Link>
                </td>
                <td>
                  {card.birth_date ? formatDate(card.birth_date) : ""}
                  {card.age !== null && <span className="muted"> ({t("age", { count: card.age })})</span>}
                </td>
                <td>{formatPhone(card.mobile_phone)}</td>
                <td>{card.email ?? ""}</td>
                <td>
                  <span className="badges">
                  {card.vip && <span className="badge vip">VIP</span>}
                  {card.is_minor && <span className="badge">{t("badge.minor")}</span>}
                  {card.out_of_archive && <span className="badge">{t("badge.out")}</span>}
                  {card.deleted && (
                    <>
                      <span className="badge deleted">{t("badge.deleted")}</span>{" "}
                      {user.can("patients.delete") && <RestoreButton card={card} />}
                    </>
                  )}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {search.isPending && <p role="status">{t("common:loading")}</p>}
        {search.isSuccess && items.length === 0 && <p role="status">{t("common:empty")}</p>}
        <nav className="pager" aria-label={t("pager.label")}>
          <span role="status">
            {total > 0 && t("pager.shown", { from: page * PAGE_SIZE + 1, to: page * PAGE_SIZE + items.length, total })}
          </span>
          <button type="button" className="secondary" disabled={page === 0} onClick={() => update({ page: String(page - 1) })}>
            {t("pager.previous")}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={(page + 1) * PAGE_SIZE >= total}
            onClick={() => update({ page: String(page + 1) })}
          >
            {t("pager.next")}
          </button>
        </nav>
      </div>
      <NewCardDialog open={creating} onClose={() => setCreating(false)} />
    </section>
  );
}
