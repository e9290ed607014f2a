import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { keys } from "../../../api/keys";
import { useCabinets, useDoctors } from "../../../api/directories";
import { useUser } from "../../../auth/AuthProvider";
import { Field } from "../../../components/Field";
import { useClinic } from "../../../lib/clinic";
import { problemText } from "../../../lib/problem";
import { type IsoDate } from "../../../lib/time";
import { CopyWeekDialog } from "./CopyWeekDialog";
import { bookedOn, SCHEDULES_KEY, useBooked, useDayTypes, useSchedules, type Owner, type OwnerKind } from "./data";
import { DayDialog } from "./DayDialog";
import { FillDialog } from "./FillDialog";
import { MonthView } from "./MonthView";
import { firstOfMonth, gridBounds, lastOfMonth, monthOf, shiftMonth } from "./rules";
import "./schedules.css";

type Opened = { kind: "day"; date: IsoDate } | { kind: "fill" } | { kind: "copy" } | null;

function monthTitle(month: string, language: string): string {
  const [year, number] = month.split("-").map(Number);
  const text = new Intl.DateTimeFormat(language, { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(year, number - 1, 1)),
  );
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * «Расписание работы» (SCH-2): a doctor's or a cabinet's working days in a month view; a day is
 * created or changed on its own, a period is filled by weekday pattern, a week is copied.
 * The owner and the month are in the address, so a reload or a shared link opens the same view.
 */
export default function WorkSchedulesPage() {
  const { t, i18n } = useTranslation("workSchedules");
  const { today, zone } = useClinic();
  const user = useUser();
  const queries = useQueryClient();
  const [params, setParams] = useSearchParams();
  const doctors = useDoctors();
  const cabinets = useCabinets();
  const dayTypes = useDayTypes();
  const [opened, setOpened] = useState<Opened>(null);

  const kind: OwnerKind = params.get("cabinet") ? "cabinet" : params.get("view") === "cabinets" ? "cabinet" : "doctor";
  const ownerId = params.get(kind) ?? "";
  const owner: Owner | null = ownerId ? { kind, id: ownerId } : null;
  const month = /^\d{4}-\d{2}$/.test(params.get("month") ?? "") ? (params.get("month") as string) : monthOf(today());
  const { from, to } = gridBounds(month);
  const schedules = useSchedules(owner, from, to);
  const booked = useBooked(owner, from, to);
  const canEdit = user.can("scheduling.schedules");

  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    setParams(next, { replace: true });
  }

  async function changed() {
    await Promise.all([
      queries.invalidateQueries({ queryKey: SCHEDULES_KEY }),
      queries.invalidateQueries({ queryKey: keys.calendar }),
    ]);
  }

  const ownerName =
    kind === "doctor"
      ? doctors.data?.find((d) => d.id === ownerId)?.name
      : cabinets.data?.find((c) => c.id === ownerId)?.name;
  const title = monthTitle(month, i18n.language);
  const loadError = schedules.error ?? booked.error;

  return (
    <section className="work-schedules" aria-labelledby="work-schedules-title">
      <h1 id="work-schedules-title">{t("title")}</h1>
      <div className="toolbar">
        <fieldset className="owner-kind">
          <legend>{t("ownerKind")}</legend>
          <label className="inline">
            <input type="radio" name="owner-kind" checked={kind === "doctor"} onChange={() => update({ view: null, cabinet: null })} />
            {t("doctors")}
          </label>
          <label className="inline">
            <input
              type="radio"
              name="owner-kind"
              checked={kind === "cabinet"}
              onChange={() => update({ view: "cabinets", doctor: null })}
            />
            {t("cabinets")}
          </label>
        </fieldset>
        {kind === "doctor" ? (
          <Field label={t("doctor")}>
            <select value={ownerId} onChange={(event) => update({ doctor: event.target.value })}>
              <option value="">{t("choose")}</option>
              {(doctors.data ?? []).map((doctor) => (
                <option key={doctor.id} value={doctor.id}>
                  {doctor.name}
                </option>
              ))}
            </select>
          </Field>
        ) : (
          <Field label={t("cabinet")}>
            <select value={ownerId} onChange={(event) => update({ cabinet: event.target.value })}>
              <option value="">{t("choose")}</option>
              {(cabinets.data ?? [])
                .filter((cabinet) => cabinet.active)
                .map((cabinet) => (
                  <option key={cabinet.id} value={cabinet.id}>
                    {cabinet.name}
                  </option>
                ))}
            </select>
          </Field>
        )}
        <div className="month-nav" role="group" aria-label={t("monthNav")}>
          <button type="button" className="secondary" onClick={() => update({ month: shiftMonth(month, -1) })}>
            <span aria-hidden="true">‹ </span>
            {t("previousMonth")}
          </button>
          <Field label={t("month")}>
            <input type="month" value={month} onChange={(event) => update({ month: event.target.value || null })} />
          </Field>
          <button type="button" className="secondary" onClick={() => update({ month: shiftMonth(month, 1) })}>
            {t("nextMonth")}
            <span aria-hidden="true"> ›</span>
          </button>
        </div>
        {owner && canEdit && (
          <div className="actions">
            <button type="button" onClick={() => setOpened({ kind: "fill" })}>
              {t("fill.open")}
            </button>
            <button type="button" className="secondary" onClick={() => setOpened({ kind: "copy" })}>
              {t("copy.open")}
            </button>
          </div>
        )}
      </div>
      <h2 aria-live="polite">
        {title}
        {ownerName ? ` — ${ownerName}` : ""}
      </h2>
      {!owner ? (
        <p className="muted">{t(kind === "doctor" ? "chooseDoctor" : "chooseCabinet")}</p>
      ) : loadError ? (
        <p role="alert">{problemText(loadError)}</p>
      ) : !schedules.data ? (
        <p role="status">{t("loading")}</p>
      ) : (
        <MonthView
          month={month}
          title={`${title}${ownerName ? ` — ${ownerName}` : ""}`}
          schedules={schedules.data}
          booked={booked.data}
          dayTypes={dayTypes.data ?? []}
          onOpen={(date) => canEdit && setOpened({ kind: "day", date })}
        />
      )}
      {owner && opened?.kind === "day" && schedules.data && (
        <DayDialog
          key={opened.date}
          owner={owner}
          date={opened.date}
          schedule={schedules.data.get(opened.date)}
          booked={bookedOn(booked.data, opened.date, zone)}
          dayTypes={dayTypes.data ?? []}
          onClose={() => setOpened(null)}
          onChanged={changed}
        />
      )}
      {owner && opened?.kind === "fill" && (
        <FillDialog
          owner={owner}
          from={firstOfMonth(month) < today() && monthOf(today()) === month ? today() : firstOfMonth(month)}
          to={lastOfMonth(month)}
          dayTypes={dayTypes.data ?? []}
          onClose={() => setOpened(null)}
          onChanged={changed}
        />
      )}
      {owner && opened?.kind === "copy" && (
        <CopyWeekDialog owner={owner} week={monthOf(today()) === month ? today() : firstOfMonth(month)} onClose={() => setOpened(null)} onChanged={changed} />
      )}
    </section>
  );
}
