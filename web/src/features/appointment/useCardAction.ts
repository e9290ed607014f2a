import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNotice } from "../../components/Notice";
import { ApiProblem, toProblem } from "../../lib/problem";
import { isStale, useRefreshAfterChange } from "./data";

/**
 * Runs one of the card's actions: while it runs the buttons wait; on success everything that
 * shows the appointment reloads and a notice says what happened; on a refusal the API's Russian
 * message is kept for the form to show next to its fields. A 412 (someone else changed the
 * appointment) reloads the card and says so: the user looks again and repeats.
 */
export function useCardAction(appointmentId: string) {
  const { t } = useTranslation("appointment");
  const notice = useNotice();
  const refresh = useRefreshAfterChange(appointmentId);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  async function run(action: () => Promise<void>, done: string): Promise<boolean> {
    setPending(true);
    setProblem(null);
    try {
      await action();
      notice(done, "ok");
      await refresh();
      return true;
    } catch (error) {
      if (isStale(error)) {
        setProblem(new ApiProblem(412, { detail: t("stale") }));
        notice(t("stale"), "error");
        await refresh();
      } else {
        const refused = toProblem(error);
        setProblem(refused);
        notice(refused.message, "error");
      }
      return false;
    } finally {
      setPending(false);
    }
  }

  return { run, pending, problem, clear: () => setProblem(null) };
}
