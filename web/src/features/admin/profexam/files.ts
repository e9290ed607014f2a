/**
 * Binary answers and multipart uploads of the API with the session's token (a link or a plain
 * form cannot send it): the typed client covers JSON, these cover .xlsx / .zpl / CSV files.
 */
import { authorizedFetch } from "../../../auth/session";
import i18n from "../../../i18n";
import { asProblem } from "../../../lib/problem";

function language(): string {
  return i18n.language === "en" ? "en" : "ru";
}

/** The file name a `Content-Disposition` header names, else `fallback`. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded) return decodeURIComponent(encoded[1].trim());
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1].trim() : fallback;
}

/** Fetches a file of the API; a refused call throws its problem. */
export async function fetchFile(url: string): Promise<Response> {
  const response = await authorizedFetch(new Request(url, { headers: { "Accept-Language": language() } }));
  if (!response.ok) throw asProblem(response.status, await response.json().catch(() => undefined));
  return response;
}

/** Hands a file of the API to the browser as a download. */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  const response = await fetchFile(url);
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = fileNameOf(response.headers.get("Content-Disposition"), fallbackName);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** POSTs a multipart form; answers the JSON body and status, or throws the problem. */
export async function postForm<T>(url: string, form: FormData): Promise<{ status: number; body: T }> {
  const response = await authorizedFetch(
    new Request(url, { method: "POST", body: form, headers: { "Accept-Language": language() } }),
  );
  const body = await response.json().catch(() => undefined);
  if (!response.ok) throw asProblem(response.status, body);
  return { status: response.status, body: body as T };
}
