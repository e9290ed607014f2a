import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../api/client";
import { useServices } from "../../../api/directories";
import { useUser } from "../../../auth/AuthProvider";
import { Field } from "../../../components/Field";
import { useNotice } from "../../../components/Notice";
import { ApiProblem, unwrap } from "../../../lib/problem";
import { lk, useLabs, useTests } from "./data";

/**
 * «Связь тестов с услугами» (LAB-3): as in the source, choose a test on the left, tick its services
 * on the right; saved in one bulk call (replacing the test's links, or adding to them).
 */
export function LinksTab() {
  const { t } = useTranslation("lab");
  const user = useUser();
  const notice = useNotice();
  const queryClient = useQueryClient();
  const labs = useLabs();
  const services = useServices();
  const [labId, setLabId] = useState("");
  const lab = labId || labs.data?.items[0]?.id || "";
  const tests = useTests(lab);
  const [testId, setTestId] = useState("");
  const links = useQuery({
    queryKey: lk.links(testId),
    enabled: !!testId,
    queryFn: async () => unwrap(await api.GET("/api/lab/test-service-links", { params: { query: { test_id: testId, limit: 500 } } })),
  });
  const [ticked, setTicked] = useState<Set<string> | null>(null);
  const linked = new Set((links.data?.items ?? []).map((link) => link.service_id));
  const current = ticked ?? linked;

  async function save() {
    try {
      unwrap(
        await api.POST("/api/lab/test-service-links/bulk", {
          body: { test_id: testId, service_ids: [...current], replace: true },
        }),
      );
      setTicked(null);
      await queryClient.invalidateQueries({ queryKey: lk.links(testId) });
      notice(t("links.saved"), "ok");
    } catch (error) {
      notice(error instanceof ApiProblem ? error.message : String(error), "error");
    }
  }

  return (
    <div className="lab-links">
      <div>
        <Field label={t("orders.lab")}>
          <select value={lab} onChange={(e) => setLabId(e.target.value)}>
            {(labs.data?.items ?? []).map((item) => (
              <option key={item.id} value={item.id}>
                {item.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("links.test")}>
          <select
            value={testId}
            size={10}
            onChange={(e) => {
              setTestId(e.target.value);
              setTicked(null);
            }}
          >
            {(tests.data?.items ?? []).map((test) => (
              <option key={test.id} value={test.id}>
                {test.code} — {test.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {testId && (
        <fieldset>
          <legend>{t("links.services")}</legend>
          <ul className="lab-service-list">
            {(services.data ?? []).map((service) => (
              <li key={service.id}>
                <label>
                  <input
                    type="checkbox"
                    disabled={!user.can("lab.directories")}
                    checked={current.has(service.id)}
                    onChange={(e) => {
                      const next = new Set(current);
                      if (e.target.checked) next.add(service.id);
                      else next.delete(service.id);
                      setTicked(next);
                    }}
                  />{" "}
                  {service.name}
                </label>
              </li>
            ))}
          </ul>
          {user.can("lab.directories") && (
            <div className="form-actions">
              <button type="button" disabled={ticked === null} onClick={() => void save()}>
                {t("actions.save")}
              </button>
            </div>
          )}
        </fieldset>
      )}
    </div>
  );
}
