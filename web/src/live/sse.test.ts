import { describe, expect, it } from "vitest";
import { SseParser } from "./sse";

describe("event stream frames", () => {
  it("parses a frame with its type, id and data", () => {
    const frames = new SseParser().push('id: 7\nevent: appointment.created\ndata: {"a":1}\n\n');
    expect(frames).toEqual([{ id: "7", event: "appointment.created", data: '{"a":1}' }]);
  });

  it("waits for the rest of a frame split across chunks", () => {
    const parser = new SseParser();
    expect(parser.push("id: 8\nevent: app")).toEqual([]);
    expect(parser.push("ointment.updated\ndata: {}\n\n")).toEqual([
      { id: "8", event: "appointment.updated", data: "{}" },
    ]);
  });

  it("skips heartbeat comments and joins multi-line data", () => {
    const frames = new SseParser().push(": heartbeat\n\ndata: a\ndata: b\n\n");
    expect(frames).toEqual([{ event: "message", data: "a\nb", id: undefined }]);
  });

  it("accepts CRLF line ends", () => {
    expect(new SseParser().push("event: reset\r\ndata: {}\r\n\r\n")).toEqual([
      { event: "reset", data: "{}", id: undefined },
    ]);
  });
});
