/**
 * Server-Sent Events over `fetch`: the stream needs the `Authorization` header, which the
 * browser's EventSource cannot send. Frames are parsed as the SSE standard says (`event:`,
 * `data:`, `id:`, comments starting with `:`); a blank line ends a frame.
 */

export interface SseFrame {
  event: string;
  data: string;
  id?: string;
}

/** Feed text as it arrives; complete frames come out, a partial one waits for the rest. */
export class SseParser {
  private buffer = "";

  push(chunk: string): SseFrame[] {
    this.buffer += chunk.replace(/\r\n?/g, "\n");
    const frames: SseFrame[] = [];
    let end: number;
    while ((end = this.buffer.indexOf("\n\n")) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const frame = parseBlock(block);
      if (frame) frames.push(frame);
    }
    return frames;
  }
}

function parseBlock(block: string): SseFrame | null {
  let event = "message";
  const data: string[] = [];
  let id: string | undefined;
  let any = false;
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue; // a comment: the heartbeat
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
    else if (field === "id") id = value;
    else continue;
    any = true;
  }
  if (!any) return null;
  return { event, data: data.join("\n"), id };
}
