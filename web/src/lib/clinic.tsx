import { useQuery } from "@tanstack/react-query";
import { createContext, useContext, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../api/client";
import { keys } from "../api/keys";
import { unwrap } from "./problem";
import { clinicDate } from "./time";
import { ZONE_KEY } from "../boot";

/** The next load's first script reads today's schedule before the settings come (see boot.ts). */
function rememberZone(zone: string): void {
  try {
    globalThis.localStorage?.setItem(ZONE_KEY, zone);
  } catch {
    // storage refused (private mode, quota): the next load waits for the settings instead
  }
}

interface Clinic {
  /** The clinic's IANA zone: every time on screen is on this clock. */
  zone: string;
  /** The clinic's date now. */
  today(): string;
}

const ClinicContext = createContext<Clinic | null>(null);

/**
 * Loads the platform settings once; children render when the clinic's zone is known.
 * `onZone` is told the zone as soon as it arrives, before anything renders with it (the first
 * load asks for the first screen's data then).
 */
export function ClinicProvider({ children, onZone }: { children: ReactNode; onZone?: (zone: string) => void }) {
  const { t } = useTranslation();
  const settings = useQuery({
    queryKey: keys.platform,
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const loaded = unwrap(await api.GET("/api/platform/settings"));
      rememberZone(loaded.timezone);
      onZone?.(loaded.timezone);
      return loaded;
    },
  });
  if (!settings.data) {
    return (
      <p role="status" className="page-status">
        {settings.isError ? t("error") : t("loading")}
      </p>
    );
  }
  const zone = settings.data.timezone;
  const clinic: Clinic = { zone, today: () => clinicDate(new Date(), zone) };
  return <ClinicContext.Provider value={clinic}>{children}</ClinicContext.Provider>;
}

export function useClinic(): Clinic {
  const clinic = useContext(ClinicContext);
  if (!clinic) throw new Error("useClinic outside ClinicProvider");
  return clinic;
}
