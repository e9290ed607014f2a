import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { useClinic } from "../../../lib/clinic";
import { unwrap } from "../../../lib/problem";
import { clinicDateTime } from "../../../lib/time";
import { notifierKeys } from "./data";

/** Embedded mode: what the in-process fake SMS provider and mail sink "sent", newest first. */
export function FakeBoxTab() {
  const { t } = useTranslation("mailings");
  const { zone } = useClinic();
  const sms = useQuery({
    queryKey: notifierKeys.fakeSms,
    queryFn: async () => unwrap(await api.GET("/api/notifier/fake/sms", { params: { query: { limit: 100 } } })).items,
    refetchInterval: 3000,
  });
  const emails = useQuery({
    queryKey: notifierKeys.fakeEmails,
    queryFn: async () => unwrap(await api.GET("/api/notifier/fake/emails", { params: { query: { limit: 100 } } })).items,
    refetchInterval: 3000,
  });
  return (
    <div>
      <p className="muted">{t("fake.hint")}</p>
      <h2 id="fake-sms-title">{t("fake.sms")}</h2>
      {sms.isError && <p role="alert">{sms.error.message}</p>}
      {sms.data?.length === 0 && <p className="muted">{t("fake.empty")}</p>}
      {sms.data && sms.data.length > 0 && (
        <table className="list" aria-labelledby="fake-sms-title">
          <thead>
            <tr>
              <th scope="col">{t("fake.sentAt")}</th>
              <th scope="col">{t("fake.phone")}</th>
              <th scope="col">{t("fake.text")}</th>
              <th scope="col">{t("fake.parts")}</th>
            </tr>
          </thead>
          <tbody>
            {sms.data.map((m) => (
              <tr key={m.id}>
                <td>{clinicDateTime(m.sent_at, zone)}</td>
                <td>{m.phone}</td>
                <td className="template-cell">{m.text}</td>
                <td>{m.parts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="fake-email-title">{t("fake.emails")}</h2>
      {emails.isError && <p role="alert">{emails.error.message}</p>}
      {emails.data?.length === 0 && <p className="muted">{t("fake.empty")}</p>}
      {emails.data && emails.data.length > 0 && (
        <table className="list" aria-labelledby="fake-email-title">
          <thead>
            <tr>
              <th scope="col">{t("fake.sentAt")}</th>
              <th scope="col">{t("fake.to")}</th>
              <th scope="col">{t("fake.subject")}</th>
              <th scope="col">{t("fake.text")}</th>
            </tr>
          </thead>
          <tbody>
            {emails.data.map((m) => (
              <tr key={m.id}>
                <td>{clinicDateTime(m.received_at, zone)}</td>
                <td>{m.to.join(", ")}</td>
                <td>{m.subject}</td>
                <td className="template-cell">{m.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
