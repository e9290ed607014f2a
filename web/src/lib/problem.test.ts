import { describe, expect, it } from "vitest";
import { ApiProblem, asProblem, toProblem, unwrap } from "./problem";

describe("problem answers", () => {
  it("shows the detail the API wrote", () => {
    const problem = asProblem(409, { title: "Conflict", detail: "Время занято", code: "slot-taken" });
    expect(problem.message).toBe("Время занято");
    expect(problem.code).toBe("slot-taken");
  });

  it("finds a field's message by its full and its short name", () => {
    const problem = new ApiProblem(422, {
      detail: "Неверные данные",
      errors: [{ field: "patient.last_name", code: "missing", message: "Укажите фамилию" }],
    });
    expect(problem.fieldErrors()["patient.last_name"]).toBe("Укажите фамилию");
    expect(problem.fieldErrors()["last_name"]).toBe("Укажите фамилию");
  });

  it("falls back to the status when the body is not a problem", () => {
    expect(asProblem(502, undefined).message).toBe("HTTP 502");
  });

  it("unwraps a successful call and throws a failed one", () => {
    const ok = new Response(null, { status: 200 });
    expect(unwrap({ data: 5, response: ok })).toBe(5);
    const refused = new Response(null, { status: 422 });
    expect(() => unwrap({ error: { detail: "нет" }, response: refused })).toThrow("нет");
  });
});

describe("any error as a problem", () => {
  it("keeps a problem as it is and wraps anything else", () => {
    const problem = new ApiProblem(409, { detail: "Время занято" });
    expect(toProblem(problem)).toBe(problem);
    expect(toProblem(new Error("сеть недоступна")).message).toBe("Error: сеть недоступна");
    expect(toProblem("нет ответа").status).toBe(0);
  });
});
