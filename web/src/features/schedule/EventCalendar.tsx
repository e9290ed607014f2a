import { createCalendar, destroyCalendar, Interaction, ResourceTimeGrid, type Calendar } from "@event-calendar/core";
import "@event-calendar/core/index.css";
// The calendar's build runs on the Svelte it was compiled with: package.json pins svelte to that
// release (5.57.1). With a newer Svelte its first mount fails ("invalid_bundler_config").
import { useEffect, useRef } from "react";

interface EventCalendarProps {
  options: Calendar.Options;
  className?: string;
  label: string;
}

const TABLE_ROLES = "[role=table],[role=rowgroup],[role=row],[role=columnheader],[role=cell],[role=gridcell],[role=rowheader]";

/**
 * The library marks its time grid up as a table, but puts the appointments (buttons) and its
 * toolbar straight into the table and its row group, which assistive technology cannot read as a
 * table (axe: aria-required-children, critical). The grid is read as what it is instead: a
 * labelled region of buttons, each naming its time and patient, the columns' names as text. The
 * scrolling body gets a tab stop so that a keyboard can scroll it.
 */
export function repairAria(root: HTMLElement) {
  for (const element of root.querySelectorAll<HTMLElement>(TABLE_ROLES)) {
    element.setAttribute("role", "presentation");
    for (const name of ["aria-colindex", "aria-colspan", "aria-rowindex", "aria-label"]) element.removeAttribute(name);
  }
  for (const toolbar of root.querySelectorAll<HTMLElement>("nav.ec-toolbar")) {
    if (toolbar.getAttribute("role") !== "presentation") toolbar.setAttribute("role", "presentation");
  }
  for (const scroller of root.querySelectorAll<HTMLElement>(".ec-main")) {
    if (scroller.tabIndex !== 0) scroller.tabIndex = 0;
  }
}

/** The same columns (ids and titles in order): a refetch that changes nothing redraws no header. */
export function sameResources(a: Calendar.Options["resources"], b: Calendar.Options["resources"]): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((resource, i) => resource.id === b[i].id && resource.title === b[i].title);
}

/**
 * The grid library in React: created once on mount, then only its changed options are set (a new
 * calendar on each render would lose the scroll position and the drag in progress).
 */
export function EventCalendar({ options, className, label }: EventCalendarProps) {
  const host = useRef<HTMLDivElement>(null);
  const calendar = useRef<Calendar | null>(null);
  const applied = useRef<Calendar.Options>({});

  useEffect(() => {
    if (!host.current) return;
    const root = host.current;
    const created = createCalendar(root, [ResourceTimeGrid, Interaction], options);
    calendar.current = created;
    applied.current = options;
    repairAria(root);
    // Once a frame at most: a redraw of 400 appointments comes as many mutation batches.
    let frame = 0;
    const observer = new MutationObserver(() => {
      if (!frame) frame = requestAnimationFrame(() => {
        frame = 0;
        repairAria(root);
      });
    });
    observer.observe(root, { childList: true, subtree: true });
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      calendar.current = null;
      void destroyCalendar(created);
    };
    // Created once: later options go through setOption below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const created = calendar.current;
    if (!created) return;
    const changed = (Object.keys(options) as (keyof Calendar.Options)[]).filter(
      (name) => applied.current[name] !== options[name] && !(name === "resources" && sameResources(applied.current.resources, options.resources)),
    );
    // New columns and new appointments together: the columns first, the appointments a task
    // later. Each column's header reads its own text back (the library's aria-label), which forces
    // a layout; with 400 appointments already drawn each of those layouts costs tens of ms.
    const deferEvents = changed.includes("resources") && changed.includes("events");
    for (const name of changed) if (!(deferEvents && name === "events")) created.setOption(name, options[name]);
    applied.current = { ...options, resources: changed.includes("resources") ? options.resources : applied.current.resources };
    if (!deferEvents) return;
    applied.current.events = undefined;
    const timer = setTimeout(() => {
      created.setOption("events", options.events);
      applied.current = { ...applied.current, events: options.events };
    }, 0);
    return () => clearTimeout(timer);
  }, [options]);

  return <div ref={host} className={className} role="region" aria-label={label} />;
}
