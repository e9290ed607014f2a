import { useTranslation } from "react-i18next";
import { useClinic } from "../../../lib/clinic";
import { formatDate, type IsoDate } from "../../../lib/time";
import { bookedOn, type Booked, type DayType, type Schedule } from "./data";
import { WEEKDAY_KEYS } from "./FillDialog";
import { monthGrid } from "./rules";

interface MonthViewProps {
  month: string;
  title: string;
  schedules: Map<IsoDate, Schedule>;
  booked: Map<IsoDate, Booked[]> | undefined;
  dayTypes: DayType[];
  onOpen(date: IsoDate): void;
}

/**
 * The month as a calendar, Monday first: each day shows its working intervals, breaks and day
 * type (its colour as a stripe, so the text keeps its contrast) and how many patients are booked.
 * A day is a button: it opens that day for editing.
 */
export function MonthView({ month, title, schedules, booked, dayTypes, onOpen }: MonthViewProps) {
  const { t } = useTranslation("workSchedules");
  const { zone, today } = useClinic();
  const types = new Map(dayTypes.map((type) => [type.id, type]));
  const now = today();
  return (
    <table className="month">
      <caption className="visually-hidden">{title}</caption>
      <thead>
        <tr>
          {WEEKDAY_KEYS.map((key) => (
            <th scope="col" key={key}>
              <abbr title={t(`weekdays.${key}`)}>{t(`weekdaysShort.${key}`)}</abbr>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {monthGrid(month).map((week) => (
          <tr key={week[0].date}>
            {week.map(({ date, inMonth }) => {
              const schedule = schedules.get(date);
              const type = schedule?.day_type_id ? types.get(schedule.day_type_id) : undefined;
              const count = bookedOn(booked, date, zone).length;
              return (
                <td key={date} className={inMonth ? undefined : "other-month"}>
                  <button
                    type="button"
                    className="day"
                    aria-current={date === now ? "date" : undefined}
                    style={type ? { borderLeftColor: type.colour } : undefined}
                    onClick={() => onOpen(date)}
                  >
                    {/* The name a screen reader (and a test) reads: the full date, then what is shown. */}
                    <span className="visually-hidden">{formatDate(date)}: </span>
                    <span className="day-number" aria-hidden="true">
                      {Number(date.slice(8))}
                    </span>
                    {schedule ? (
                      <>
                        {schedule.intervals.map((range) => (
                          <span key={range.start} className="interval">
                            {range.start}–{range.end}{" "}
                          </span>
                        ))}
                        {schedule.breaks.map((range) => (
                          <span key={range.start} className="break">
                            {t("breakShort")} {range.start}–{range.end}{" "}
                          </span>
                        ))}
                        {type && (
                          <span className="day-type">
                            <span className="swatch" style={{ background: type.colour }} aria-hidden="true" />
                            {type.name}{" "}
                          </span>
                        )}
                      </>
                    ) : (
                      <span className="off">{t("dayOff")} </span>
                    )}
                    {count > 0 && <span className="badge">{t("bookedCount", { count })}</span>}
                  </button>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
