/**
 * «Расписание» (SCH-3 … SCH-5): the grid of one date × the doctors, or of 3 / 7 days × one doctor;
 * booking from a free slot, «Новая запись», moves by drag and drop, copy/cut/paste, the waiting
 * list placed into slots. Kept current by the live stream (it invalidates `keys.calendar`).
 */
import type { Calendar } from "@event-calendar/core";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { api, type Schemas } from "../../api/client";
import { useDoctors, type Doctor } from "../../api/directories";
import { keys } from "../../api/keys";
import { useUser } from "../../auth/AuthProvider";
import { useNotice } from "../../components/Notice";
import { useClinic } from "../../lib/clinic";
import { ApiProblem, problemText, unwrap } from "../../lib/problem";
import { addDays, clinicTime, formatDate, fromWall, toWall, zonedIso } from "../../lib/time";
import AppointmentPanel from "../appointment/AppointmentPanel";
import WaitlistPanel, { type WaitlistEntry } from "../waitlist/WaitlistPanel";
import { BookingDialog } from "./BookingDialog";
import type { BookingForm } from "./bookingForm";
import {
  columnsOf,
  durationOf,
  gridEvents,
  nowLine,
  resourcesOf,
  slotOf,
  visibleRange,
  wallAt,
  type CompactAppointment,
  type GridResource,
  type Slot,
} from "./calendarModel";
import { EventCalendar, sameResources } from "./EventCalendar";
import { cellHtml, wallTimeRange, type CellTexts } from "./eventContent";
import { calendarParams, calendarQuery, scheduleView } from "./scheduleQuery";
import { ScheduleToolbar, type ScheduleView } from "./ScheduleToolbar";
import "./schedule.css";

interface Booking {
  initial: Partial<BookingForm>;
  entry: WaitlistEntry | null;
  key: number;
}

interface Clip {
  mode: "copy" | "cut";
  appointment: CompactAppointment;
}

function matches(doctor: Doctor, view: ScheduleView): boolean {
  if (view.buildingId && doctor.building_id !== view.buildingId) return false;
  if (view.specializationId && !doctor.specialization_ids.includes(view.specializationId)) return false;
  return true;
}

/** The clinic's wall clock now, moved on every half minute (the line at the current time). */
function useNowWall(zone: string): Date {
  const [now, setNow] = useState(() => toWall(new Date().toISOString(), zone));
  useEffect(() => {
    const timer = setInterval(() => setNow(toWall(new Date().toISOString(), zone)), 30_000);
    return () => clearInterval(timer);
  }, [zone]);
  return now;
}

export default function SchedulePage() {
  const { t, i18n } = useTranslation("schedule");
  const { zone, today } = useClinic();
  const user = useUser();
  const canWrite = user.can("scheduling.write");
  const notice = useNotice();
  const queries = useQueryClient();
  const [params, setParams] = useSearchParams();
  const doctors = useDoctors();
  const nowWall = useNowWall(zone);

  const view = scheduleView(params, today);
  const shownDoctors = (doctors.data ?? []).filter((doctor) => doctor.active && matches(doctor, view));
  const oneDoctor = view.days > 1 ? (shownDoctors.find((doctor) => doctor.id === view.doctorId) ?? shownDoctors[0]) : undefined;

  const calendar = useQuery({
    ...calendarQuery(calendarParams(view, oneDoctor)),
    enabled: view.days === 1 || Boolean(oneDoctor),
    placeholderData: keepPreviousData,
  });
  const data = calendar.data;
  const step = data?.grid_step_minutes ?? 15;

  const [booking, setBooking] = useState<Booking | null>(null);
  const [placing, setPlacing] = useState<WaitlistEntry | null>(null);
  const [clip, setClip] = useState<Clip | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [menu, setMenu] = useState<{ x: number; y: number; appointment: CompactAppointment } | null>(null);

  function changeView(change: Partial<ScheduleView>) {
    const next = { ...view, ...change };
    const search = new URLSearchParams();
    search.set("date", next.date);
    if (next.days > 1) {
      search.set("days", String(next.days));
      const doctor = change.doctorId ?? oneDoctor?.id ?? shownDoctors[0]?.id;
      if (doctor) search.set("doctor", doctor);
    }
    if (next.buildingId) search.set("building", next.buildingId);
    if (next.specializationId) search.set("specialization", next.specializationId);
    setParams(search, { replace: true });
  }

  // The free-time search links here to book in one click: ?date=…&doctor=…&time=HH:MM.
  const linkOpened = useRef(false);
  useEffect(() => {
    const time = params.get("time");
    if (!time || linkOpened.current) return;
    linkOpened.current = true;
    setBooking({ initial: { doctorId: params.get("doctor") ?? "", date: view.date, time }, entry: null, key: Date.now() });
    const next = new URLSearchParams(params);
    next.delete("time");
    if (view.days === 1) next.delete("doctor");
    setParams(next, { replace: true });
  }, [params, setParams, view.date, view.days]);

  const appointments = useMemo(() => {
    const byId = new Map<string, CompactAppointment>();
    for (const column of columnsOf(data)) for (const appointment of column.appointments) byId.set(appointment.id, appointment);
    return byId;
  }, [data]);

  const describe = useCallback(
    (id: string) => {
      const found = appointments.get(id);
      return found ? `${found.patient_name}, ${clinicTime(found.start, zone)}–${clinicTime(found.end, zone)}` : undefined;
    },
    [appointments, zone],
  );

  async function paste(slot: Slot, current: Clip) {
    const { appointment } = current;
    const length = (new Date(appointment.end).getTime() - new Date(appointment.start).getTime()) / 60_000;
    const start = zonedIso(slot.date, slot.time, zone);
    try {
      if (current.mode === "copy") {
        unwrap(
          await api.POST("/api/scheduling/appointments/{appointment_id}/copy", {
            params: { path: { appointment_id: appointment.id } },
            body: { start, doctor_id: slot.doctorId, duration_minutes: length, overbook: false },
          }),
        );
        notice(t("copied"));
      } else {
        unwrap(
          await api.PATCH("/api/scheduling/appointments/{appointment_id}", {
            params: { path: { appointment_id: appointment.id }, header: { "If-Match": `"${appointment.version}"` } },
            body: { start, duration_minutes: length, doctor_id: slot.doctorId },
          }),
        );
        setClip(null);
        notice(t("moved"));
      }
    } catch (error) {
      notice(problemText(error), "error");
    } finally {
      void queries.invalidateQueries({ queryKey: keys.calendar });
    }
  }

  async function move(info: Calendar.EventDropInfo | Calendar.EventResizeInfo, doctorId: string | undefined) {
    const appointment = info.event.extendedProps.appointment as CompactAppointment;
    const body: Schemas["SchedulingAppointmentUpdate"] = {
      start: fromWall(info.event.start, zone),
      end: fromWall(info.event.end, zone),
    };
    if (doctorId && doctorId !== appointment.doctor_id) body.doctor_id = doctorId;
    try {
      unwrap(
        await api.PATCH("/api/scheduling/appointments/{appointment_id}", {
          params: { path: { appointment_id: appointment.id }, header: { "If-Match": `"${appointment.version}"` } },
          body,
        }),
      );
      notice("delta" in info ? t("moved") : t("resized"));
    } catch (error) {
      info.revert();
      notice(error instanceof ApiProblem ? error.message : problemText(error), "error");
    } finally {
      void queries.invalidateQueries({ queryKey: keys.calendar });
    }
  }

  function onSlot(slot: Slot) {
    if (!canWrite) return;
    if (clip) {
      void paste(slot, clip);
      return;
    }
    const initial: Partial<BookingForm> = { doctorId: slot.doctorId, date: slot.date, time: slot.time };
    if (slot.minutes && slot.minutes > step) initial.durationMinutes = String(slot.minutes);
    setBooking({ initial, entry: placing, key: Date.now() });
  }

  // The grid keeps its callbacks from creation: they call the latest handlers through this ref.
  const handlers = useRef({ onSlot, move, open: setSelected });
  handlers.current = { onSlot, move, open: setSelected };

  const cellTexts: CellTexts = useMemo(
    () => ({
      primary: t("marks.primary"),
      minor: t("marks.minor"),
      vip: t("marks.vip"),
      processed: t("marks.processed"),
      overbooked: t("marks.overbooked"),
      phone: t("tooltip.phone"),
      note: t("tooltip.note"),
    }),
    [t],
  );

  const columns: GridResource[] = useMemo(() => {
    if (view.days > 1) return oneDoctor ? [{ id: oneDoctor.id, title: oneDoctor.name }] : [];
    const allowed = new Set(shownDoctors.map((doctor) => doctor.id));
    return resourcesOf(data).filter((resource) => !doctors.data || allowed.has(resource.id));
    // shownDoctors follows doctors.data and the filters
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, doctors.data, view.days, oneDoctor?.id, view.buildingId, view.specializationId]);
  // The same columns keep the same array: the doctors' list or a refetch arriving after the
  // calendar then redraws none of the 400 cells.
  const sameColumns = useRef(columns);
  if (!sameResources(sameColumns.current, columns)) sameColumns.current = columns;
  const resources = sameColumns.current;

  const shown = useMemo(() => visibleRange(data, zone), [data, zone]);
  const events = useMemo(() => {
    const ids = new Set(resources.map((resource) => resource.id));
    const all = gridEvents(data, zone, { break: t("break"), off: t("off") }, { editable: canWrite, shown }).filter((event) =>
      event.resourceIds.some((id) => ids.has(id)),
    );
    const lastDate = addDays(view.date, view.days - 1);
    const nowDate = `${nowWall.getFullYear()}-${String(nowWall.getMonth() + 1).padStart(2, "0")}-${String(nowWall.getDate()).padStart(2, "0")}`;
    if (nowDate >= view.date && nowDate <= lastDate && resources.length) all.push(nowLine(nowWall, resources));
    return all;
  }, [data, zone, t, canWrite, shown, resources, nowWall, view.date, view.days]);

  // A live update in the middle of a drag would redraw the cell under the pointer: the grid keeps
  // the events it had until the drag or resize ends, then takes the latest.
  const [dragging, setDragging] = useState(false);
  const heldEvents = useRef(events);
  if (!dragging) heldEvents.current = events;
  const shownEvents = heldEvents.current;

  const options: Calendar.Options = useMemo(
    () => ({
      view: "resourceTimeGridDay",
      date: wallAt(view.date, 0),
      duration: { days: view.days },
      datesAboveResources: view.days > 1,
      headerToolbar: { start: "", center: "", end: "" },
      resources,
      events: shownEvents,
      slotDuration: durationOf(step),
      slotLabelInterval: durationOf(step >= 30 ? step : 30),
      slotMinTime: durationOf(shown.start),
      slotMaxTime: durationOf(shown.end),
      slotHeight: 28,
      allDaySlot: false,
      nowIndicator: false, // the browser's clock is not the clinic's: the "now" line is an event (see nowLine)
      firstDay: 1,
      locale: i18n.language === "en" ? "en-GB" : "ru-RU",
      slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
      eventTimeFormat: wallTimeRange,
      dayHeaderFormat: { weekday: "short", day: "numeric", month: "long" },
      height: "calc(100vh - 11.5rem)",
      editable: canWrite,
      selectable: canWrite,
      eventDurationEditable: canWrite,
      eventStartEditable: canWrite,
      dragScroll: true,
      dateClick: (info) => {
        if (info.resource) handlers.current.onSlot(slotOf(info.date, String(info.resource.id)));
      },
      select: (info) => {
        if (info.resource) handlers.current.onSlot(slotOf(info.start, String(info.resource.id), info.end));
      },
      eventClick: (info) => {
        if (info.event.extendedProps.kind === "appointment") handlers.current.open(String(info.event.id));
      },
      eventDrop: (info) => void handlers.current.move(info, info.newResource ? String(info.newResource.id) : undefined),
      eventResize: (info) => void handlers.current.move(info, undefined),
      eventDragStart: () => setDragging(true),
      eventDragStop: () => setDragging(false),
      eventResizeStart: () => setDragging(true),
      eventResizeStop: () => setDragging(false),
      eventContent: (info) => {
        const appointment = info.event.extendedProps.appointment as CompactAppointment | undefined;
        if (appointment) return { html: cellHtml(appointment, zone, cellTexts) };
        if (info.event.classNames.includes("slot-break")) return { html: `<span class="bg-label">${t("break")}</span>` };
        return "";
      },
    }),
    [view.date, view.days, resources, shownEvents, step, shown, i18n.language, canWrite, zone, cellTexts, t],
  );

  function appointmentOf(target: EventTarget): CompactAppointment | undefined {
    const element = (target as HTMLElement).closest?.("[role=button]")?.querySelector("[data-appointment-id]");
    const id = element?.getAttribute("data-appointment-id");
    return id ? appointments.get(id) : undefined;
  }

  function takeClip(mode: Clip["mode"], appointment: CompactAppointment) {
    setPlacing(null);
    setMenu(null);
    setClip({ mode, appointment });
  }

  // Ctrl+C / Ctrl+X on a focused appointment; Escape leaves copying or placing.
  function onGridKey(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === "Escape") {
      setClip(null);
      setPlacing(null);
      setMenu(null);
      return;
    }
    if (!canWrite || !(event.ctrlKey || event.metaKey)) return;
    const appointment = appointmentOf(event.target);
    if (!appointment) return;
    if (event.key.toLowerCase() === "c" || event.key.toLowerCase() === "с") takeClip("copy", appointment);
    if (event.key.toLowerCase() === "x" || event.key.toLowerCase() === "ч") takeClip("cut", appointment);
  }

  function onContextMenu(event: MouseEvent<HTMLDivElement>) {
    const appointment = appointmentOf(event.target);
    if (!appointment || !canWrite) return;
    event.preventDefault();
    setMenu({ x: event.clientX, y: event.clientY, appointment });
  }

  // The menu's keys: arrows move between its items, Escape closes it.
  function onMenuKey(event: KeyboardEvent<HTMLDivElement>) {
    const items = [...event.currentTarget.querySelectorAll<HTMLButtonElement>("[role=menuitem]")];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === "Escape") setMenu(null);
    else if (event.key === "ArrowDown") items[(at + 1) % items.length]?.focus();
    else if (event.key === "ArrowUp") items[(at - 1 + items.length) % items.length]?.focus();
    else return;
    event.preventDefault();
  }

  const noColumns = calendar.isSuccess && resources.length === 0;
  return (
    <div className="schedule-page">
      <h1 className="visually-hidden">{t("title")}</h1>
      <ScheduleToolbar
        view={{ ...view, doctorId: oneDoctor?.id ?? view.doctorId }}
        doctors={shownDoctors}
        canBook={canWrite}
        onChange={changeView}
        onNew={() => setBooking({ initial: { date: view.date }, entry: placing, key: Date.now() })}
      />
      {placing && (
        <div className="schedule-banner" role="status">
          <span>{t("placing", { name: placing.patient_name })}</span>
          <button type="button" className="secondary" onClick={() => setPlacing(null)}>
            {t("cancelPlacing")}
          </button>
        </div>
      )}
      {clip && (
        <div className="schedule-banner" role="status">
          <span>{t(clip.mode === "copy" ? "clipCopy" : "clipCut", { name: clip.appointment.patient_name })}</span>
          <button type="button" className="secondary" onClick={() => setClip(null)}>
            {t("cancelPlacing")}
          </button>
        </div>
      )}
      <div className="schedule-layout">
        <div className="schedule-grid-wrap" onKeyDown={onGridKey} onContextMenu={onContextMenu}>
          <p className="muted schedule-caption">
            {view.days === 1
              ? formatDate(view.date)
              : `${formatDate(view.date)} – ${formatDate(addDays(view.date, view.days - 1))}`}
            {calendar.isFetching && <span className="visually-hidden"> {t("loading")}</span>}
          </p>
          {calendar.isError && (
            <p role="alert" className="form-error">
              {problemText(calendar.error)}
            </p>
          )}
          {noColumns && <p className="schedule-empty">{t("noDoctors")}</p>}
          <EventCalendar options={options} className="schedule-grid" label={t("grid")} />
        </div>
        <aside className="schedule-side" aria-label={t("side")}>
          {selected && (
            <section className="panel schedule-appointment" aria-label={t("appointment")}>
              <AppointmentPanel appointmentId={selected} onClose={() => setSelected(null)} />
            </section>
          )}
          {/* The panel brings its own heading. */}
          <div className="schedule-waitlist">
            <WaitlistPanel
              date={view.date}
              doctorIds={resources.map((resource) => resource.id)}
              placingId={placing?.id ?? null}
              onPlace={(entry) => {
                setClip(null);
                setPlacing(entry);
              }}
            />
          </div>
        </aside>
      </div>
      {menu && (
        <div
          className="schedule-menu"
          role="menu"
          aria-label={menu.appointment.patient_name}
          style={{ left: menu.x, top: menu.y }}
          onKeyDown={onMenuKey}
        >
          <button type="button" role="menuitem" autoFocus onClick={() => takeClip("copy", menu.appointment)}>
            {t("copy")}
          </button>
          <button type="button" role="menuitem" onClick={() => takeClip("cut", menu.appointment)}>
            {t("cut")}
          </button>
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              setSelected(menu.appointment.id);
              setMenu(null);
            }}
          >
            {t("open")}
          </button>
          <button type="button" role="menuitem" className="secondary" onClick={() => setMenu(null)}>
            {t("closeMenu")}
          </button>
        </div>
      )}
      {booking && (
        <BookingDialog
          key={booking.key}
          initial={booking.initial}
          entry={booking.entry}
          gridStep={step}
          describe={describe}
          onClose={() => setBooking(null)}
          onBooked={(appointment) => {
            setBooking(null);
            if (booking.entry) setPlacing(null);
            notice(t("booked", { name: appointment.patient_name, time: clinicTime(appointment.start, zone) }));
          }}
        />
      )}
    </div>
  );
}
