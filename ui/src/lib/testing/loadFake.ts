/**
 * The load-check commands for tests, the way `screening_app::review::load` answers them: the
 * same refusals (a candidate not in the session, a value out of range naming the field, an
 * Amazon Personalize candidate without the cost confirmation, a joined team session's
 * candidates, a second run while one runs), a run that sends one progress message per second of
 * its plan (all at once, unless {@link FakeLoad.gate} holds it after the first), Stop ending it
 * with what was "measured" so far, the checks kept per session, and the release gate's `load`
 * row for the challenger's latest check (`screening_load::gate_check`).
 */
import type {
  AppError,
  CandidateInfo,
  GateCheck,
  Latency,
  LoadCheck,
  LoadCheckRequest,
  LoadProgress,
  LoadResult,
  SessionDetail,
  SessionReport,
} from "../ipc";
import { sendOnChannel, type CommandHandler } from "../ipc/mock";
import { SESSION } from "./fixtures";

/** The backend's warning before loading a Personalize campaign (`PERSONALIZE_WARNING`). */
export const PERSONALIZE_WARNING =
  "Amazon Personalize: a campaign serves about 500 requests/s by default (a quota you can raise with AWS), and minProvisionedTPS is billed whether used or not, while auto-scaling above it is billed as used — a load check costs money and can throttle real traffic on the same campaign.";

/** The caps (`MAX_RATE`, `MAX_DURATION_S`, `MAX_CONCURRENCY`). */
const MAX_RATE = 2000;
const MAX_DURATION_S = 600;
const MAX_CONCURRENCY = 1024;

/** How a fake endpoint behaves under load. */
export type Behaviour = {
  /** The latency of its answers, every second alike. */
  latency: Latency;
  /** The share of the due requests it finishes each second (1: keeps up). */
  keepsUp: number;
  /** Failures per second, by kind. */
  errorsPerSecond: Record<string, number>;
};

/** A quick endpoint that keeps up without errors. */
export const QUICK: Behaviour = {
  latency: { p50: 8.2, p90: 14.5, p95: 18.1, p99: 35.4, max: 52.9 },
  keepsUp: 1,
  errorsPerSecond: {},
};

/** An Amazon Personalize campaign: loading it costs money. */
export const PERSONALIZE: CandidateInfo = {
  id: "personalize-prod",
  name: "Personalize (prod campaign)",
  kind: "personalize",
};

/** The fixture session (challenger EASE) with a Personalize candidate too, not blind. */
export const LOAD_SESSION: SessionDetail = {
  ...SESSION,
  summary: { ...SESSION.summary, blind: false, candidate_count: 4 },
  candidates: [...SESSION.candidates, PERSONALIZE],
};

function invalid(message: string): AppError {
  return { code: "invalid_input", message };
}

function notFound(message: string): AppError {
  return { code: "not_found", message };
}

/** The gate's check of a run (`screening_load::gate_check`). */
export function gateCheck(result: LoadResult, maxP99Ms: number): GateCheck {
  const errors = Object.values(result.errors).reduce((a, b) => a + b, 0);
  const heldRate = result.achieved_rps >= 0.95 * result.target_rps;
  const errorRate = result.requests === 0 ? 0 : errors / result.requests;
  const answered = result.requests > errors;
  const p99 = answered ? result.latency_ms.p99 : null;
  const note = !answered
    ? "no request was answered"
    : !heldRate
      ? `achieved ${result.achieved_rps.toFixed(1)} of ${result.target_rps.toFixed(1)} requests/s`
      : errorRate > 0.01
        ? `${(100 * errorRate).toFixed(1)}% of the requests failed`
        : result.stopped
          ? "the run was stopped before its end"
          : null;
  return {
    name: "load",
    label: `Challenger sustains ${result.target_rps.toFixed(0)} requests/s with p99 ≤ ${maxP99Ms.toFixed(0)} ms (load check)`,
    value: p99,
    threshold: maxP99Ms,
    op: "<=",
    passed: note === null && p99 !== null && p99 <= maxP99Ms,
    note,
  };
}

export class FakeLoad {
  /** Every check kept, oldest first. */
  readonly checks: LoadCheck[] = [];
  /** Every progress message sent, in order. */
  readonly progress: LoadProgress[] = [];
  /** How each candidate (by id) answers; others are {@link QUICK}. */
  readonly behaviours = new Map<string, Behaviour>();
  /** When set, a run waits for it after its first progress message (Stop ends the wait too). */
  gate: Promise<void> | null = null;
  /** How many times `cancel_load_check` was called. */
  cancels = 0;

  #sessions: (id: string) => SessionDetail | undefined;
  #running = false;
  #cancel: (() => void) | null = null;
  #cancelled = false;
  #seq = 0;

  /** `sessions` answers the sessions on the device (with their candidates and kinds). */
  constructor(sessions: (id: string) => SessionDetail | undefined) {
    this.#sessions = sessions;
  }

  /** A check as the backend keeps it (for a history a test starts with). */
  add(check: Omit<LoadCheck, "id" | "passed">): LoadCheck {
    const kept = {
      ...structuredClone(check),
      id: `lc-${++this.#seq}`,
      passed: gateCheck(check.result, check.max_p99_ms).passed,
    };
    this.checks.push(kept);
    return structuredClone(kept);
  }

  /** The gate's `load` row of a session: its challenger's latest check, if any. */
  gateRow(sessionId: string): GateCheck | null {
    const challenger = this.#sessions(sessionId)?.challenger_candidate_id;
    if (!challenger) return null;
    const latest = this.checks
      .filter((c) => c.session_id === sessionId && c.candidate_id === challenger)
      .at(-1);
    return latest ? gateCheck(latest.result, latest.max_p99_ms) : null;
  }

  /** `report` with the gate's `load` row added, as the backend's `with_gate_row`. */
  withGateRow(report: SessionReport): SessionReport {
    const row = this.gateRow(report.session_id);
    if (!row) return report;
    const gate = report.report.gate;
    return {
      ...report,
      report: {
        ...report.report,
        gate: { ...gate, passed: gate.passed && row.passed, checks: [...gate.checks, row] },
      },
    };
  }

  async #run(request: LoadCheckRequest, channel: unknown): Promise<LoadCheck> {
    const session = this.#sessions(request.session_id);
    if (!session) throw notFound(`no session ${request.session_id}`);
    const candidate = session.candidates.find((c) => c.id === request.candidate_id);
    if (!candidate) throw notFound("the candidate is not one of this session's");
    if (!(request.max_p99_ms > 0)) throw invalid("max p99: more than 0 ms");
    const { rate, duration_s, ramp_s, concurrency } = request;
    if (!(rate > 0 && rate <= MAX_RATE)) {
      throw invalid(`rate: between 0 and ${MAX_RATE} requests/s, not ${rate}`);
    }
    if (!(duration_s > 0) || !(ramp_s >= 0)) {
      throw invalid("duration: more than 0 seconds (and a ramp of 0 or more)");
    }
    if (duration_s + ramp_s > MAX_DURATION_S) {
      throw invalid(
        `duration: at most ${MAX_DURATION_S} s with the ramp, not ${duration_s + ramp_s} s`,
      );
    }
    if (concurrency === 0 || concurrency > MAX_CONCURRENCY) {
      throw invalid(`concurrency: 1 to ${MAX_CONCURRENCY} requests in flight, not ${concurrency}`);
    }
    if (candidate.kind === "team") {
      throw invalid(
        "this candidate came with a joined team session as a name only: load-check it where the session was made",
      );
    }
    if (candidate.kind === "personalize" && !request.confirm_cost) {
      throw invalid(`${PERSONALIZE_WARNING} Confirm to go ahead.`);
    }
    if (this.#running) throw invalid("a load check is running already");

    this.#running = true;
    this.#cancelled = false;
    const cancelled = new Promise<void>((resolve) => (this.#cancel = resolve));
    try {
      const behaviour = this.behaviours.get(candidate.id) ?? QUICK;
      const length = ramp_s + duration_s;
      const rateAt = (t: number) => (ramp_s > 0 && t < ramp_s ? (rate * t) / ramp_s : rate);
      const timeline: LoadProgress[] = [];
      const errors: Record<string, number> = {};
      let sent = 0;
      let done = 0;
      for (let second = 1; second <= Math.ceil(length); second++) {
        if (this.#cancelled) break;
        const elapsed = Math.min(second, length);
        const due = Math.round(rateAt(elapsed));
        const finished = Math.round(due * behaviour.keepsUp);
        sent += due;
        done += finished;
        for (const [kind, n] of Object.entries(behaviour.errorsPerSecond)) {
          errors[kind] = (errors[kind] ?? 0) + n;
        }
        const p: LoadProgress = {
          elapsed_s: elapsed,
          length_s: length,
          target_rps: rateAt(elapsed),
          sent,
          done,
          errors: Object.values(errors).reduce((a, b) => a + b, 0),
          rps: finished,
          latency_ms:
            finished > 0 ? { ...behaviour.latency } : { p50: 0, p90: 0, p95: 0, p99: 0, max: 0 },
        };
        timeline.push(p);
        this.progress.push(p);
        if (channel !== undefined) sendOnChannel(channel, p);
        if (second === 1 && this.gate) await Promise.race([this.gate, cancelled]);
      }
      const elapsed = timeline.at(-1)?.elapsed_s ?? 0;
      const result: LoadResult = {
        target_rps: rate,
        scheduled_rps: rate,
        achieved_rps: elapsed > 0 ? done / elapsed : 0,
        requests: done,
        errors,
        latency_ms:
          done > 0 ? { ...behaviour.latency } : { p50: 0, p90: 0, p95: 0, p99: 0, max: 0 },
        duration_s: elapsed,
        stopped: this.#cancelled,
        timeline,
      };
      return this.add({
        session_id: session.summary.id,
        candidate_id: candidate.id,
        candidate: candidate.name,
        created_at: Date.now(),
        plan: {
          rate,
          duration_s,
          ramp_from: 0,
          ramp_s,
          concurrency,
          timeout_ms: 5000,
        },
        max_p99_ms: request.max_p99_ms,
        result,
      });
    } finally {
      this.#running = false;
      this.#cancel = null;
    }
  }

  /** The command handlers, to install with `mockBackend`. */
  handlers(): Record<string, CommandHandler> {
    return {
      run_load_check: ({ request, onProgress }) =>
        this.#run(request as LoadCheckRequest, onProgress),
      cancel_load_check: () => {
        this.cancels++;
        if (this.#running) {
          this.#cancelled = true;
          this.#cancel?.();
        }
        return null;
      },
      load_checks: ({ sessionId }) =>
        structuredClone(this.checks.filter((c) => c.session_id === sessionId)),
    };
  }
}
