import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas } from "../../api/client";
import { doctorShortName, useDoctors, useSpecializations } from "../../api/directories";
import { keys } from "../../api/keys";
import { useUser } from "../../auth/AuthProvider";
import { useNotice } from "../../components/Notice";
import { problemText, unwrap } from "../../lib/problem";
import { formatDate } from "../../lib/time";
import { timeWindow, visibleEntries } from "./rules";
import { WaitlistForm } from "./WaitlistForm";
import "./waitlist.css";

export type WaitlistEntry = Schemas["SchedulingWaitlistRead"];

export interface WaitlistPanelProps {
  /** The day the schedule shows (entries for it and entries without a date are listed first). */
  date: string;
  /** The doctors the schedule shows. */
  doctorIds: string[];
  /** The entry being placed into a slot now, if any (highlighted). */
  placingId?: string | null;
  /** «Записать»: the schedule asks for a free slot, then books the entry into it. */
  onPlace(entry: WaitlistEntry): void;
}

/** «Лист ожидания» (SCH-7) beside the schedule: the day's and the undated entries, added, removed, placed. */
export default function WaitlistPanel({ date, doctorIds, placingId, onPlace }: WaitlistPanelProps) {
  const { t } = useTranslation("waitlist");
  const user = useUser();
  const titleId = useId();
  const [adding, setAdding] = useState(false);
  const [allDoctors, setAllDoctors] = useState(false);
  const entries = useQuery({
    queryKey: [...keys.waitlist, { date }],
    queryFn: async () =>
      unwrap(await api.GET("/api/scheduling/waitlist", { params: { query: { date, limit: 500 } } })).items,
  });
  const { dated, undated } = visibleEntries(entries.data ?? [], doctorIds, allDoctors);
  const canWrite = user.can("scheduling.write");

  return (
    <section className="waitlist-panel panel" aria-labelledby={titleId}>
      <header className="waitlist-header">
        <h2 id={titleId}>{t("title")}</h2>
        {canWrite && !adding && (
          <button type="button" onClick={() => setAdding(true)}>
            {t("addEntry")}
          </button>
        )}
      </header>
      {adding && (
        <WaitlistForm
          date={date}
          doctorId={doctorIds.length === 1 ? doctorIds[0] : ""}
          onDone={() => setAdding(false)}
          onCancel={() => setAdding(false)}
        />
      )}
      <label className="inline">
        <input type="checkbox" checked={allDoctors} onChange={(event) => setAllDoctors(event.target.checked)} />
        {t("allDoctors")}
      </label>
      {entries.isPending && <p role="status">{t("loading")}</p>}
      {entries.isError && <p role="alert">{problemText(entries.error)}</p>}
      {entries.data && (
        <>
          <EntryGroup
            title={t("forDate", { date: formatDate(date) })}
            empty={t("noneForDate")}
            entries={dated}
            placingId={placingId}
            onPlace={onPlace}
            canWrite={canWrite}
          />
          <EntryGroup
            title={t("undated")}
            empty={t("noneUndated")}
            entries={undated}
            placingId={placingId}
            onPlace={onPlace}
            canWrite={canWrite}
          />
        </>
      )}
    </section>
  );
}

interface GroupProps {
  title: string;
  empty: string;
  entries: WaitlistEntry[];
  placingId?: string | null;
  canWrite: boolean;
  onPlace(entry: WaitlistEntry): void;
}

function EntryGroup({ title, empty, entries, placingId, canWrite, onPlace }: GroupProps) {
  const headingId = useId();
  return (
    <section className="waitlist-group" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {title} <span className="badge">{entries.length}</span>
      </h3>
      {entries.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="waitlist-entries" aria-labelledby={headingId}>
          {entries.map((entry) => (
            <EntryItem key={entry.id} entry={entry} placing={entry.id === placingId} canWrite={canWrite} onPlace={onPlace} />
          ))}
        </ul>
      )}
    </section>
  );
}

function EntryItem({ entry, placing, canWrite, onPlace }: { entry: WaitlistEntry; placing: boolean; canWrite: boolean; onPlace(entry: WaitlistEntry): void }) {
  const { t } = useTranslation("waitlist");
  const notice = useNotice();
  const queries = useQueryClient();
  const doctors = useDoctors();
  const specializations = useSpecializations();
  const [removing, setRemoving] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const doctor = doctors.data?.find((item) => item.id === entry.doctor_id);
  const specialization = specializations.data?.find((item) => item.id === entry.specialization_id);
  const hours = timeWindow(entry.wished_time_from, entry.wished_time_to, { from: t("from"), to: t("to") });
  const labelId = useId();

  async function remove() {
    setRemoving(true);
    try {
      unwrap(await api.DELETE("/api/scheduling/waitlist/{entry_id}", { params: { path: { entry_id: entry.id } } }));
      notice(t("removed", { patient: entry.patient_name }), "ok");
      await queries.invalidateQueries({ queryKey: keys.waitlist });
    } catch (error) {
      notice(problemText(error), "error");
    } finally {
      setRemoving(false);
      setConfirming(false);
    }
  }

  return (
    <li className={placing ? "waitlist-entry placing" : "waitlist-entry"} aria-labelledby={labelId} aria-current={placing || undefined}>
      <div id={labelId} className="waitlist-patient">
        {entry.patient_name}
        {entry.is_primary && <span className="badge">{t("primary")}</span>}
      </div>
      <div className="waitlist-meta">
        {[
          doctor ? doctorShortName(doctor) : null,
          specialization?.name,
          entry.wished_date ? formatDate(entry.wished_date) : null,
          hours || null,
          entry.phone_with_country_code ?? entry.mobile_phone,
        ]
          .filter(Boolean)
          .join(" · ")}
      </div>
      {entry.note && <div className="waitlist-note">{entry.note}</div>}
      {placing && <div className="waitlist-placing">{t("placing")}</div>}
      {canWrite && (
        <div className="waitlist-actions">
          <button type="button" onClick={() => onPlace(entry)} aria-pressed={placing}>
            {t("place")}
          </button>
          {confirming ? (
            <span role="group" aria-label={t("confirmRemove", { patient: entry.patient_name })} className="waitlist-confirm">
              {t("confirmQuestion")}
              <button type="button" className="danger" disabled={removing} onClick={() => void remove()}>
                {t("confirmYes")}
              </button>
              <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                {t("cancel")}
              </button>
            </span>
          ) : (
            <button type="button" className="secondary" onClick={() => setConfirming(true)}>
              {t("remove")}
            </button>
          )}
        </div>
      )}
    </li>
  );
}
