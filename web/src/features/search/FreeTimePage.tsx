/**
 * «Поиск свободного времени» (SCH-12): the nearest free slots of a duration for a doctor, a
 * specialization or a service, in a building and a period, by day and doctor. A slot books in one
 * click: the schedule opens «Запись на приём» prefilled from the address.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api } from "../../api/client";
import { doctorShortName, useBuildings, useDoctors, useServices, useSpecializations } from "../../api/directories";
import { keys } from "../../api/keys";
import { Field } from "../../components/Field";
import { useClinic } from "../../lib/clinic";
import { ApiProblem, problemText, unwrap } from "../../lib/problem";
import { addDays, formatDate } from "../../lib/time";
import { bookingUrl, groupSlots } from "./rules";
import "./search.css";

interface FreeTimeFilters {
  specialization_id: string;
  doctor_id: string;
  service_id: string;
  building_id: string;
  date_from: string;
  date_to: string;
  duration_minutes: string;
  time_from: string;
  time_to: string;
}

const SLOTS_LIMIT = 500; // the API's most: the time window is kept here, so ask for all

export default function FreeTimePage() {
  const { t, i18n } = useTranslation("search");
  const clinic = useClinic();
  const doctors = useDoctors();
  const specializations = useSpecializations();
  const services = useServices();
  const buildings = useBuildings();
  const start: FreeTimeFilters = {
    specialization_id: "",
    doctor_id: "",
    service_id: "",
    building_id: "",
    date_from: clinic.today(),
    date_to: addDays(clinic.today(), 6),
    duration_minutes: "",
    time_from: "",
    time_to: "",
  };
  const [draft, setDraft] = useState(start);
  const [applied, setApplied] = useState<FreeTimeFilters | null>(null);
  const set = <K extends keyof FreeTimeFilters>(name: K, value: FreeTimeFilters[K]) => setDraft({ ...draft, [name]: value });

  const query = applied && {
    doctor_id: applied.doctor_id || null,
    specialization_id: applied.specialization_id || null,
    service_id: applied.service_id || null,
    building_id: applied.building_id || null,
    date_from: applied.date_from || null,
    date_to: applied.date_to || null,
    duration_minutes: applied.duration_minutes ? Number(applied.duration_minutes) : null,
    limit: SLOTS_LIMIT,
  };
  const slots = useQuery({
    // Under the calendar's prefix: a booking anywhere makes these slots stale.
    queryKey: [...keys.calendar, "free-slots", query],
    enabled: query !== null,
    queryFn: async () => unwrap(await api.GET("/api/scheduling/free-slots", { params: { query: query ?? {} } })),
  });
  const days = slots.data
    ? groupSlots(slots.data.items, clinic.zone, { from: applied?.time_from || undefined, to: applied?.time_to || undefined })
    : [];
  const errors = slots.error instanceof ApiProblem ? slots.error.fieldErrors() : {};
  const doctorById = new Map((doctors.data ?? []).map((doctor) => [doctor.id, doctor]));
  const shownDoctors = (doctors.data ?? []).filter(
    (doctor) => !draft.specialization_id || doctor.specialization_ids.includes(draft.specialization_id),
  );
  const weekday = new Intl.DateTimeFormat(i18n.language, { weekday: "long", timeZone: "UTC" });

  const select = (
    name: "specialization_id" | "doctor_id" | "service_id" | "building_id",
    options: { id: string; name: string }[],
  ) => (
    <Field label={t(`free.${name}`)} error={errors[name]}>
      <select value={draft[name]} onChange={(event) => set(name, event.target.value)}>
        <option value="">{t("any")}</option>
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </select>
    </Field>
  );

  return (
    <section className="free-time" aria-labelledby="free-title">
      <h1 id="free-title">{t("free.title")}</h1>
      <form
        className="panel"
        role="search"
        aria-label={t("free.filters")}
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(draft);
        }}
      >
        <div className="filter-grid">
          {select("specialization_id", specializations.data ?? [])}
          {select("doctor_id", shownDoctors.map((doctor) => ({ id: doctor.id, name: doctorShortName(doctor) })))}
          {select("service_id", services.data ?? [])}
          {select("building_id", buildings.data ?? [])}
          <Field label={t("free.date_from")} error={errors.date_from}>
            <input type="date" value={draft.date_from} onChange={(event) => set("date_from", event.target.value)} />
          </Field>
          <Field label={t("free.date_to")} error={errors.date_to}>
            <input type="date" value={draft.date_to} onChange={(event) => set("date_to", event.target.value)} />
          </Field>
          <Field label={t("free.duration")} error={errors.duration_minutes}>
            <input
              type="number"
              min="5"
              step="5"
              placeholder={t("free.durationDefault")}
              value={draft.duration_minutes}
              onChange={(event) => set("duration_minutes", event.target.value)}
            />
          </Field>
          <Field label={t("free.time_from")}>
            <input type="time" value={draft.time_from} onChange={(event) => set("time_from", event.target.value)} />
          </Field>
          <Field label={t("free.time_to")}>
            <input type="time" value={draft.time_to} onChange={(event) => set("time_to", event.target.value)} />
          </Field>
        </div>
        <div className="toolbar search-actions">
          <button type="submit">{t("common:actions.search")}</button>
        </div>
      </form>

      {slots.isError && Object.keys(errors).length === 0 && (
        <p role="alert" className="form-error">
          {problemText(slots.error)}
        </p>
      )}
      {applied === null && <p className="muted">{t("free.hint")}</p>}
      {slots.isFetching && <p role="status">{t("common:loading")}</p>}
      {slots.isSuccess && (
        <p role="status" className="muted">
          {days.length === 0 ? t("free.none") : t("free.total", { count: slots.data.total })}
        </p>
      )}
      {days.map((day) => (
        <section key={day.date} className="panel free-day" aria-labelledby={`day-${day.date}`}>
          <h2 id={`day-${day.date}`}>
            {formatDate(day.date)}, {weekday.format(new Date(`${day.date}T00:00:00Z`))}
          </h2>
          {day.doctors.map(({ doctorId, slots: times }) => {
            const doctor = doctorById.get(doctorId);
            const name = doctor ? doctorShortName(doctor) : t("free.unknownDoctor");
            return (
              <div key={doctorId} className="free-doctor">
                <h3>{name}</h3>
                <ul className="slots" aria-label={t("free.slotsOf", { name, date: formatDate(day.date) })}>
                  {times.map((slot) => (
                    <li key={slot.start}>
                      <Link
                        className="slot"
                        to={bookingUrl(day.date, doctorId, slot.time)}
                        aria-label={t("free.book", { name, date: formatDate(day.date), time: slot.time })}
                      >
                        {slot.time}
                      </Link>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </section>
      ))}
    </section>
  );
}
