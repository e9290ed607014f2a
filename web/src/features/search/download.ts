import { authorizedFetch } from "../../auth/session";
import { asProblem } from "../../lib/problem";

/** The file name a `Content-Disposition` header names, else `fallback`. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded) return decodeURIComponent(encoded[1].trim());
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1].trim() : fallback;
}

/**
 * Download a binary answer of the API (an .xlsx) with the session's token: a link cannot send the
 * token, so the file is fetched and handed to the browser as a blob. A refused call throws its problem.
 */
export async function downloadFile(url: string, fallbackName: string, language: string): Promise<void> {
  const response = await authorizedFetch(new Request(url, { headers: { "Accept-Language": language } }));
  if (!response.ok) throw asProblem(response.status, await response.json().catch(() => undefined));
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = fileNameOf(response.headers.get("Content-Disposition"), fallbackName);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
