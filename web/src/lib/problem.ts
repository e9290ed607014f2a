/**
 * The API's problem answers (RFC 9457) as the screens show them: the Russian `detail`
 * (the client asks in the UI's language), and the message of each named field.
 */

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  instance?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export class ApiProblem extends Error {
  readonly status: number;
  readonly body: ProblemBody;

  constructor(status: number, body: ProblemBody) {
    super(body.detail || body.title || `HTTP ${status}`);
    this.name = "ApiProblem";
    this.status = status;
    this.body = body;
  }

  get code(): string | undefined {
    return this.body.code;
  }

  /** Messages by field name; a nested field ("patient.last_name") is also found by its last part. */
  fieldErrors(): Record<string, string> {
    const byField: Record<string, string> = {};
    for (const error of this.body.errors ?? []) {
      for (const name of [error.field, error.field.split(".").at(-1) ?? error.field]) {
        if (!(name in byField)) byField[name] = error.message;
      }
    }
    return byField;
  }
}

/** What an openapi-fetch call's `error` and status become: always an ApiProblem. */
export function asProblem(status: number, error: unknown): ApiProblem {
  if (error && typeof error === "object") return new ApiProblem(status, error as ProblemBody);
  return new ApiProblem(status, { status, detail: typeof error === "string" ? error : undefined });
}

/** Any error a call or a check threw, as a problem a form can show (field errors and all). */
export function toProblem(error: unknown): ApiProblem {
  return error instanceof ApiProblem ? error : new ApiProblem(0, { detail: String(error) });
}

/** Throws the call's problem, or gives its data: for TanStack Query functions. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) throw asProblem(result.response.status, result.error);
  return result.data as T;
}

/** The text to show for any error thrown by a call. */
export function problemText(error: unknown): string {
  if (error instanceof ApiProblem) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
