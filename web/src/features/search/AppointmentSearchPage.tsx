/**
 * «Поиск записей» (SCH-11, the source's «Сетка»): every filter of the appointment search, the
 * results with the clinic's times page by page, «Кто придёт завтра» (the call list) and the Excel
 * export of the same search. Below it, the search by patient (SCH-18). Filters live in the address.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { api } from "../../api/client";
import {
  doctorShortName,
  useAppointmentStatuses,
  useBuildings,
  useCabinets,
  useDoctors,
  useRecordTypes,
} from "../../api/directories";
import { keys } from "../../api/keys";
import { useUser } from "../../auth/AuthProvider";
import { Field } from "../../components/Field";
import { useNotice } from "../../components/Notice";
import { useClinic } from "../../lib/clinic";
import { ApiProblem, problemText, unwrap } from "../../lib/problem";
import { clinicDate, clinicTime, formatDate } from "../../lib/time";
import { formatPhone } from "../patients/rules";
import { downloadFile } from "./download";
import { PatientVisitsSearch } from "./PatientVisitsSearch";
import {
  appointmentQuery,
  defaultFilters,
  exportUrl,
  filtersFromUrl,
  filtersToUrl,
  tomorrowFilters,
  type AppointmentFilters,
} from "./rules";
import "./search.css";

const PAGE_SIZE = 50;

export default function AppointmentSearchPage() {
  const { t, i18n } = useTranslation("search");
  const clinic = useClinic();
  const user = useUser();
  const notice = useNotice();
  const navigate = useNavigate();
  const [url, setUrl] = useSearchParams();
  const applied = filtersFromUrl(url, clinic.today());
  const page = Math.max(0, Number(url.get("page") ?? 0) || 0);
  const [draft, setDraft] = useState<AppointmentFilters>(applied);
  const [exporting, setExporting] = useState(false);

  const apply = (filters: AppointmentFilters) => {
    setDraft(filters);
    setUrl(filtersToUrl(filters), { replace: true });
  };
  const goTo = (next: number) => {
    const params = filtersToUrl(applied);
    if (next > 0) params.set("page", String(next));
    setUrl(params, { replace: true });
  };

  const query = appointmentQuery(applied);
  const results = useQuery({
    queryKey: [...keys.appointments, "search", query, page],
    placeholderData: (previous) => previous,
    queryFn: async () =>
      unwrap(
        await api.GET("/api/scheduling/appointments", {
          params: { query: { ...query, limit: PAGE_SIZE, offset: page * PAGE_SIZE } },
        }),
      ),
  });
  const errors = results.error instanceof ApiProblem ? results.error.fieldErrors() : {};
  const items = results.data?.items ?? [];
  const total = results.data?.total ?? 0;

  const exportXlsx = async () => {
    setExporting(true);
    try {
      await downloadFile(exportUrl(query), "appointments.xlsx", i18n.language);
    } catch (error) {
      notice(problemText(error), "error");
    } finally {
      setExporting(false);
    }
  };

  return (
    <section className="appointment-search" aria-labelledby="search-title">
      <h1 id="search-title">{t("title")}</h1>
      <form
        className="panel search-filters"
        role="search"
        aria-label={t("filters")}
        onSubmit={(event) => {
          event.preventDefault();
          apply(draft);
        }}
      >
        <Filters draft={draft} onChange={setDraft} errors={errors} />
        <div className="toolbar search-actions">
          <button type="submit">{t("common:actions.search")}</button>
          <button type="button" className="secondary" onClick={() => apply(tomorrowFilters(draft, clinic.today()))}>
            {t("tomorrow")}
          </button>
          <button type="button" className="secondary" onClick={() => apply(defaultFilters(clinic.today()))}>
            {t("reset")}
          </button>
          {user.can("scheduling.export") && (
            <button type="button" className="secondary" disabled={exporting} onClick={() => void exportXlsx()}>
              {t("export")}
            </button>
          )}
        </div>
      </form>

      {results.isError && Object.keys(errors).length === 0 && (
        <p role="alert" className="form-error">
          {problemText(results.error)}
        </p>
      )}
      <div className="panel">
        <p role="status" className="muted">
          {results.isPending ? t("common:loading") : results.isError ? "" : t("found", { count: total })}
        </p>
        <table className="list">
          <caption className="visually-hidden">{t("results")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("column.date")}</th>
              <th scope="col">{t("column.time")}</th>
              <th scope="col">{t("column.patient")}</th>
              <th scope="col">{t("column.phone")}</th>
              <th scope="col">{t("column.birthDate")}</th>
              <th scope="col">{t("column.cardNumber")}</th>
              <th scope="col">{t("column.doctor")}</th>
              <th scope="col">{t("column.cabinet")}</th>
              <th scope="col">{t("column.status")}</th>
              <th scope="col">{t("column.number")}</th>
              <th scope="col">{t("column.createdBy")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr
                key={item.id}
                className={item.deleted ? "clickable deleted" : "clickable"}
                // The whole row opens the appointment for the mouse; the link in it serves the keyboard.
                onClick={(event) => {
                  if (!(event.target as HTMLElement).closest("a")) navigate(`/appointments/${item.id}`);
                }}
              >
                <td>{formatDate(clinicDate(item.start, clinic.zone))}</td>
                <td>
                  <Link to={`/appointments/${item.id}`}>
                    {clinicTime(item.start, clinic.zone)}–{clinicTime(item.end, clinic.zone)}
                  </Link>
                </td>
                <td>
                  {item.patient_name}
                  {item.is_primary && <span className="badge primary">{t("primary")}</span>}
                </td>
                <td>
                  {item.phone_with_country_code ? (
                    <a href={`tel:${item.phone_with_country_code}`}>{formatPhone(item.mobile_phone)}</a>
                  ) : (
                    ""
                  )}
                </td>
                <td>{item.birth_date ? formatDate(item.birth_date) : ""}</td>
                <td>
                  {item.patient_id ? <Link to={`/patients/${item.patient_id}`}>{item.card_number ?? "—"}</Link> : ""}
                </td>
                <td>{item.doctor_name ?? "—"}</td>
                <td>{item.cabinet_name ?? ""}</td>
                <td>
                  {item.status && (
                    <span className="status-mark" style={{ borderColor: item.status.colour }}>
                      {item.status.name}
                    </span>
                  )}
                  {item.deleted && <span className="badge deleted">{t("inTrash")}</span>}
                </td>
                <td>{item.number}</td>
                <td>{item.created_by_username ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <nav className="pager" aria-label={t("pager.label")}>
          <span>
            {total > 0 && t("pager.shown", { from: page * PAGE_SIZE + 1, to: page * PAGE_SIZE + items.length, total })}
          </span>
          <button type="button" className="secondary" disabled={page === 0} onClick={() => goTo(page - 1)}>
            {t("pager.previous")}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={(page + 1) * PAGE_SIZE >= total}
            onClick={() => goTo(page + 1)}
          >
            {t("pager.next")}
          </button>
        </nav>
      </div>

      <PatientVisitsSearch />
    </section>
  );
}

/** The filter controls; the search runs on «Найти», not on each change. */
interface FiltersProps {
  draft: AppointmentFilters;
  onChange(filters: AppointmentFilters): void;
  /** The API's messages by filter name, from the last search. */
  errors: Record<string, string>;
}

function Filters({ draft, onChange, errors }: FiltersProps) {
  const { t } = useTranslation("search");
  const doctors = useDoctors();
  const buildings = useBuildings();
  const cabinets = useCabinets();
  const statuses = useAppointmentStatuses();
  const recordTypes = useRecordTypes();
  const set = <K extends keyof AppointmentFilters>(name: K, value: AppointmentFilters[K]) =>
    onChange({ ...draft, [name]: value });
  const text = (name: "card_number" | "number" | "q" | "phone", type = "text") => (
    <Field label={t(`filter.${name}`)} error={errors[name]}>
      <input type={type} value={draft[name]} onChange={(event) => set(name, event.target.value)} />
    </Field>
  );
  const choice = (
    name: "building_id" | "cabinet_id" | "status_id" | "record_type_id",
    options: { id: string; name: string }[] | undefined,
  ) => (
    <Field label={t(`filter.${name}`)} error={errors[name]}>
      <select value={draft[name]} onChange={(event) => set(name, event.target.value)}>
        <option value="">{t("any")}</option>
        {options?.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </select>
    </Field>
  );
  const shownCabinets = cabinets.data?.filter((cabinet) => !draft.building_id || cabinet.building_id === draft.building_id);
  return (
    <div className="filter-grid">
      <Field label={t("filter.date_from")} error={errors.date_from}>
        <input type="date" value={draft.date_from} onChange={(event) => set("date_from", event.target.value)} />
      </Field>
      <Field label={t("filter.date_to")} error={errors.date_to}>
        <input type="date" value={draft.date_to} onChange={(event) => set("date_to", event.target.value)} />
      </Field>
      <Field label={t("filter.doctor_id")} className="field doctors" error={errors.doctor_id}>
        <select
          multiple
          size={5}
          value={draft.doctor_id}
          onChange={(event) => set("doctor_id", [...event.target.selectedOptions].map((option) => option.value))}
        >
          {doctors.data?.map((doctor) => (
            <option key={doctor.id} value={doctor.id}>
              {doctorShortName(doctor)}
            </option>
          ))}
        </select>
      </Field>
      {text("q")}
      {text("phone", "tel")}
      {text("card_number")}
      {text("number")}
      {choice("building_id", buildings.data)}
      {choice("cabinet_id", shownCabinets)}
      {choice("status_id", statuses.data)}
      {choice("record_type_id", recordTypes.data)}
      <label className="inline">
        <input type="checkbox" checked={draft.deleted} onChange={(event) => set("deleted", event.target.checked)} />
        {t("filter.deleted")}
      </label>
      {draft.patient_id && (
        <p className="patient-filter">
          {t("patientFilter")}{" "}
          <button type="button" className="secondary" onClick={() => set("patient_id", "")}>
            {t("clearPatient")}
          </button>
        </p>
      )}
    </div>
  );
}
