/**
 * SCH-14: the appointment slip. The API serves it as HTML behind the session's token, so it is
 * fetched here (not opened as a plain link, which would carry no token) and printed from a
 * hidden frame: `srcdoc` needs no URL the page's Content-Security-Policy would have to allow.
 */
import { currentToken } from "../../auth/session";
import i18n from "../../i18n";
import { asProblem } from "../../lib/problem";

const FRAME_TITLE = "appointment-slip";

export async function slipHtml(appointmentId: string, paper: "a4" | "receipt" = "a4"): Promise<string> {
  const token = currentToken();
  const response = await fetch(
    `/api/scheduling/appointments/${encodeURIComponent(appointmentId)}/slip.html?paper=${paper}`,
    {
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        "Accept-Language": i18n.language === "en" ? "en" : "ru",
      },
      credentials: "same-origin",
    },
  );
  if (!response.ok) throw asProblem(response.status, await response.json().catch(() => undefined));
  return response.text();
}

/** Prints the slip; the frame stays (hidden) until the next print, so the dialog can read it. */
export async function printSlip(appointmentId: string, title: string, paper: "a4" | "receipt" = "a4"): Promise<void> {
  const html = await slipHtml(appointmentId, paper);
  document.querySelector(`iframe[data-slip="${FRAME_TITLE}"]`)?.remove();
  const frame = document.createElement("iframe");
  frame.dataset.slip = FRAME_TITLE;
  frame.title = title;
  frame.className = "print-frame";
  frame.srcdoc = html;
  frame.addEventListener("load", () => frame.contentWindow?.print(), { once: true });
  document.body.append(frame);
}
