// Typed client of the coordinator's REST API, as served (snake_case JSON). Every call goes to the page's own origin,
// so the browser session's cookie (POST /api/session) is sent with it; a 401 asks for the token once and retries.

export type SweepStatus = "pending" | "running" | "completed" | "failed" | "cancelled";
export type TrialStatus = "pending" | "running" | "completed" | "failed" | "cancelled" | "stopped";
export type Config = Record<string, string | number | boolean | null>;

export interface SweepSummary {
  id: string;
  name: string;
  status: SweepStatus;
  method: string;
  metric: string;
  goal: "minimize" | "maximize";
  trials: number;
  created_at: string;
  finished_at: string | null;
}

export interface SweepListItem extends SweepSummary {
  trials_by_status: Record<string, number>;
  best_value: number | null;
  started_at: string | null;
  duration_seconds: number | null;
}

export interface TrialSummary {
  id: string;
  sweep_id: string;
  number: number;
  config: Config;
  config_hash: string;
  status: TrialStatus;
  attempt: number;
  epoch: number;
  worker: string | null;
  test_total: number | null;
  test_recon: number | null;
  test_kl: number | null;
  iwae_nll: number | null;
  active_units: number | null;
  failure_class: string | null;
  failure_reason: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface WaitingTrials {
  requires: string[];
  trials: number;
}

/** What submitting, cancelling or retrying a sweep answers. */
export interface SweepSnapshot {
  sweep_id: string;
  name: string;
  status: SweepStatus;
  trials: number;
  open_trials: number;
}

export interface SweepDetail {
  sweep: SweepSummary;
  trials_by_status: Record<string, number>;
  progress: { ended: number; total: number; finished: boolean };
  best: TrialSummary | null;
  checkpoint_bytes: number;
  waiting: WaitingTrials[];
}

export interface TrialPage {
  trials: TrialSummary[];
  next_page: number | null;
  total: number;
  offset: number;
}

export interface TrialPageQuery {
  statuses?: TrialStatus[];
  sort?: string;
  order?: "asc" | "desc";
  offset?: number;
  limit?: number;
}

export interface TrialPoint {
  id: string;
  number: number;
  status: TrialStatus;
  config: Config;
  test_total: number | null;
  test_recon: number | null;
  test_kl: number | null;
  iwae_nll: number | null;
  active_units: number | null;
}

export interface PointsDocument {
  metric: string;
  goal: "minimize" | "maximize";
  points: TrialPoint[];
}

export interface CurveEpoch {
  epoch: number;
  split: "train" | "test";
  total: number;
  recon: number;
  kl: number;
}

export interface TrialCurve {
  id: string;
  number: number;
  status: TrialStatus;
  config: Config;
  epochs: CurveEpoch[];
}

export interface EpochDocument {
  epoch: number;
  split: "train" | "test";
  total: number;
  recon: number;
  kl: number;
  seconds: number;
  samples_per_second: number;
  kl_per_dimension: number[] | null;
  active_units: number | null;
}

export interface CheckpointInfo {
  epoch: number;
  sha256: string;
  size_bytes: number;
  url: string;
}

export interface TrialDetail {
  trial: TrialSummary;
  epochs: EpochDocument[];
  checkpoint: CheckpointInfo | null;
}

export interface TrialFigure {
  name: string;
  size_bytes: number;
  url: string;
}

export interface TrialLogLine {
  sequence: number;
  attempt: number;
  time: string;
  level: string;
  source: string;
  message: string;
}

export interface SpecError {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

export interface SpecErrorList {
  title: string;
  errors: SpecError[];
}

export interface ValidatedSpec {
  name: string;
  method: string;
  metric: string;
  goal: string;
  trials: number | null;
  parameters: string[];
}

export interface SessionDocument {
  token_required_for_reads: boolean;
  token_required_for_changes: boolean;
  authenticated: boolean;
}

/** An answer other than 2xx: its status and the server's problem text (ProblemDetails' detail or title). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** Asks the user for the token when the server answers 401; set by auth.ts. Resolves true once a session started. */
let signIn: (() => Promise<boolean>) | null = null;

export function onUnauthorized(handler: () => Promise<boolean>): void {
  signIn = handler;
}

async function send(path: string, init: RequestInit = {}, retried = false): Promise<Response> {
  const response = await fetch(path, { credentials: "same-origin", ...init });
  if (response.status === 401 && !retried && signIn && (await signIn())) return send(path, init, true);
  if (!response.ok && response.status !== 304) throw await errorOf(response);
  return response;
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  let body: unknown = text;
  let message = `${response.status} ${response.statusText}`;
  try {
    body = JSON.parse(text);
    const problem = body as { detail?: string; title?: string };
    message = problem.detail ?? problem.title ?? message;
  } catch {
    if (text) message = text;
  }
  return new ApiError(response.status, message, body);
}

export async function getJson<T>(path: string): Promise<T> {
  return (await send(path, { headers: { Accept: "application/json" } })).json() as Promise<T>;
}

async function postJson<T>(path: string, body?: unknown): Promise<T | null> {
  const init: RequestInit = { method: "POST" };
  if (body !== undefined) {
    init.headers = { "Content-Type": "application/json" };
    init.body = JSON.stringify(body);
  }
  const response = await send(path, init);
  return response.status === 204 ? null : ((await response.json()) as T);
}

function query(params: [string, string | number | undefined][]): string {
  const search = new URLSearchParams();
  for (const [key, value] of params) if (value !== undefined && value !== "") search.append(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}

export const api = {
  sweeps: (limit = 100) => getJson<SweepListItem[]>(`/api/sweeps${query([["limit", limit]])}`),
  sweep: (id: string) => getJson<SweepDetail>(`/api/sweeps/${id}`),
  sweepPath: (id: string) => `/api/sweeps/${id}`,
  trials: (id: string, q: TrialPageQuery = {}) => getJson<TrialPage>(api.trialsPath(id, q)),
  trialsPath: (id: string, q: TrialPageQuery = {}) =>
    `/api/sweeps/${id}/trials${query([
      ...(q.statuses ?? []).map((s): [string, string] => ["status", s]),
      ["sort", q.sort],
      ["order", q.order],
      ["offset", q.offset],
      ["limit", q.limit],
    ])}`,
  points: (id: string) => getJson<PointsDocument>(`/api/sweeps/${id}/points`),
  curves: (id: string, top = 20, trials: string[] = []) =>
    getJson<{ trials: TrialCurve[] }>(
      `/api/sweeps/${id}/curves${query([["top", top], ...trials.map((t): [string, string] => ["trial", t])])}`,
    ),
  spec: async (id: string) => (await send(`/api/sweeps/${id}/spec`)).text(),
  reportUrl: (id: string) => `/api/sweeps/${id}/report`,
  cancel: (id: string) => postJson<SweepSnapshot>(`/api/sweeps/${id}/cancel`),
  retryFailed: (id: string) => postJson<{ sweep: SweepSnapshot; trials: TrialSummary[] }>(`/api/sweeps/${id}/retry`),
  trial: (id: string) => getJson<TrialDetail>(`/api/trials/${id}`),
  figures: (id: string) => getJson<TrialFigure[]>(`/api/trials/${id}/figures`),
  logs: (id: string, after?: number) => getJson<TrialLogLine[]>(`/api/trials/${id}/logs${query([["after", after]])}`),
  checkpointUrl: (id: string) => `/api/trials/${id}/checkpoint`,
  /** Checks a sweep file without submitting it: the parsed summary, or the errors at their lines (ApiError 400, body SpecErrorList). */
  validate: async (yaml: string, file?: string) =>
    (await send(`/api/sweeps/validate${query([["file", file]])}`, { method: "POST", headers: { "Content-Type": "text/yaml" }, body: yaml })).json() as Promise<ValidatedSpec>,
  submit: async (yaml: string, file?: string) =>
    (await send(`/api/sweeps${query([["file", file]])}`, { method: "POST", headers: { "Content-Type": "text/yaml" }, body: yaml })).json() as Promise<SweepSnapshot>,
  session: () => getJson<SessionDocument>("/api/session"),
  startSession: (token: string) => postJson<null>("/api/session", { token }),
};
