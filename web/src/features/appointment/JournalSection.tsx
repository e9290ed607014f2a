import { useTranslation } from "react-i18next";
import { useClinic } from "../../lib/clinic";
import { clinicDateTime } from "../../lib/time";
import { useJournal } from "./data";
import { readableChanges } from "./rules";

/** SCH-10 «Журнал изменений»: who created and changed what, when, field by field (old → new). */
export function JournalSection({ appointmentId }: { appointmentId: string }) {
  const { t } = useTranslation("appointment");
  const { zone } = useClinic();
  const journal = useJournal(appointmentId);
  const words = { yes: t("yes"), no: t("no"), card: t("cardLinked") };
  return (
    <section className="appointment-section" aria-labelledby={`journal-${appointmentId}`}>
      <h3 id={`journal-${appointmentId}`}>{t("journal")}</h3>
      {journal.isError && <p role="alert">{t("loadFailed")}</p>}
      {journal.isPending && <p className="muted">{t("loading")}</p>}
      {journal.data && (
        <table className="list journal" aria-label={t("journal")}>
          <thead>
            <tr>
              <th scope="col">{t("when")}</th>
              <th scope="col">{t("who")}</th>
              <th scope="col">{t("action")}</th>
              <th scope="col">{t("changes")}</th>
            </tr>
          </thead>
          <tbody>
            {[...journal.data].reverse().map((entry) => (
              <tr key={entry.version + entry.at}>
                <td>{clinicDateTime(entry.at, zone)}</td>
                <td>{entry.username ?? "—"}</td>
                <td>{t(`actions.${entry.action}`, { defaultValue: entry.action })}</td>
                <td>
                  <ul className="journal-changes">
                    {readableChanges(entry.changes, zone, words).map((change) => (
                      <li key={change.field}>
                        <span className="journal-field">{t(`fields.${change.field}`, { defaultValue: change.field })}:</span>{" "}
                        {entry.action === "created" ? change.to : `${change.from} → ${change.to}`}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
