import { useTranslation } from "react-i18next";
import { useBuildings, useSpecializations, type Doctor } from "../../api/directories";
import { addDays, type IsoDate } from "../../lib/time";
import { useClinic } from "../../lib/clinic";

export type DaysShown = 1 | 3 | 7;

export interface ScheduleView {
  date: IsoDate;
  days: DaysShown;
  /** The doctor of a 3- or 7-day view. */
  doctorId: string;
  buildingId: string;
  specializationId: string;
}

interface ScheduleToolbarProps {
  view: ScheduleView;
  doctors: Doctor[];
  canBook: boolean;
  onChange(change: Partial<ScheduleView>): void;
  onNew(): void;
}

/** «Дата», day back/forward, «Сегодня», the view, the filters and «Новая запись». */
export function ScheduleToolbar({ view, doctors, canBook, onChange, onNew }: ScheduleToolbarProps) {
  const { t } = useTranslation("schedule");
  const { today } = useClinic();
  const buildings = useBuildings();
  const specializations = useSpecializations();
  const step = view.days === 1 ? 1 : view.days;
  return (
    <div className="toolbar schedule-toolbar" role="toolbar" aria-label={t("toolbar")}>
      <div className="date-nav">
        <button type="button" className="secondary" onClick={() => onChange({ date: addDays(view.date, -step) })} aria-label={t("previous")}>
          ‹
        </button>
        <label>
          {t("date")}
          <input
            type="date"
            value={view.date}
            required
            onChange={(event) => event.target.value && onChange({ date: event.target.value })}
          />
        </label>
        <button type="button" className="secondary" onClick={() => onChange({ date: addDays(view.date, step) })} aria-label={t("next")}>
          ›
        </button>
        <button type="button" className="secondary" onClick={() => onChange({ date: today() })}>
          {t("today")}
        </button>
      </div>
      <label>
        {t("view")}
        <select value={view.days} onChange={(event) => onChange({ days: Number(event.target.value) as DaysShown })}>
          <option value={1}>{t("views.day")}</option>
          <option value={3}>{t("views.three")}</option>
          <option value={7}>{t("views.week")}</option>
        </select>
      </label>
      {view.days > 1 && (
        <label>
          {t("doctor")}
          <select value={view.doctorId} onChange={(event) => onChange({ doctorId: event.target.value })}>
            {doctors.map((doctor) => (
              <option key={doctor.id} value={doctor.id}>
                {doctor.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t("building")}
        <select value={view.buildingId} onChange={(event) => onChange({ buildingId: event.target.value })}>
          <option value="">{t("all")}</option>
          {(buildings.data ?? []).map((building) => (
            <option key={building.id} value={building.id}>
              {building.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("specialization")}
        <select value={view.specializationId} onChange={(event) => onChange({ specializationId: event.target.value })}>
          <option value="">{t("all")}</option>
          {(specializations.data ?? []).map((specialization) => (
            <option key={specialization.id} value={specialization.id}>
              {specialization.name}
            </option>
          ))}
        </select>
      </label>
      {canBook && (
        <button type="button" className="new-appointment" onClick={onNew}>
          {t("newAppointment")}
        </button>
      )}
    </div>
  );
}
