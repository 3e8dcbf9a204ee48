// Issue 13 §5, the core side: the seeding rules run inside the app, every N minutes
// (settings.schedule), with or without a window, and when the window asks. One run at a time;
// the engine re-reads each box right before acting and never retries an action that failed
// (the next scheduled run is the retry, so a failure cannot loop). The global pause stops the
// schedule and, through the clients handed to the engine, a run already under way.
import type { RulesRunSummary } from '../../../shared/contract';
import { SeedboxError } from '../../../shared/errors';
import type { RuleSchedule, SeedingSettings } from '../../../shared/rules/settings';
import { serializeError } from '../dispatch';
import { run, type BoxPlan, type RuleClient, type RunBox, type RunResult, type SightingsStore } from '../../rules/engine';

export interface RulesRunnerOptions {
  /** The settings as saved now (read from the file: the CLI may have changed them). */
  settings(): Promise<SeedingSettings>;
  /** The boxes a run goes over, each opened when its turn comes. */
  boxes(): RunBox[];
  /** Writes one box's decisions to the audit log. */
  record(plan: BoxPlan): Promise<void>;
  /** The unregistered grace record shared with the CLI: each box a run lists afresh is one check. */
  sightings: SightingsStore;
  /** A run ended (not a dry one): the notice, if it acted. */
  onRun(summary: RulesRunSummary): void;
  /** running, nextRunAt or lastRun changed. */
  onChange(): void;
  /** A scheduled run that could not even start (the settings file unreadable). */
  log(message: string): void;
  /** Unix milliseconds. */
  now?: () => number;
}

export interface RulesRun {
  result: RunResult;
  summary: RulesRunSummary;
}

export class RulesRunner {
  private readonly now: () => number;
  private current: { trigger: RulesRunSummary['trigger']; done: Promise<unknown> } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private started = false;
  private everyMinutes = 0;
  private paused = false;
  nextRunAt: number | null = null;
  lastRun: RulesRunSummary | null = null;

  constructor(private readonly options: RulesRunnerOptions) {
    this.now = options.now ?? Date.now;
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Starts the schedule saved in the settings; the first scheduled run comes one interval later. */
  start(settings: SeedingSettings): void {
    this.started = true;
    this.paused = settings.paused;
    this.reschedule(settings.schedule);
  }

  /** Stops the schedule and waits for a run under way (it finishes its current action). */
  async stop(): Promise<void> {
    this.started = false;
    this.reschedule({ everyMinutes: 0 });
    await this.current?.done.catch(() => undefined);
  }

  /** A new interval counts from now. */
  reschedule(schedule: RuleSchedule): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.everyMinutes = schedule.everyMinutes;
    this.nextRunAt = this.started && this.everyMinutes > 0 ? this.now() + this.everyMinutes * 60_000 : null;
    if (this.nextRunAt !== null) {
      this.timer = setTimeout(() => void this.scheduled(), this.nextRunAt - this.now());
      // The schedule alone never keeps a process (a test, a headless run) alive.
      this.timer.unref?.();
    }
    this.options.onChange();
  }

  /** Set by the global pause: a run under way acts no further, the schedule skips its runs. */
  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  /** A run asked for by the window; refused while another run is under way. */
  async runNow(dryRun: boolean): Promise<RulesRun> {
    if (this.current) {
      const by = this.current.trigger === 'schedule' ? 'the schedule' : 'a Run now';
      throw new SeedboxError('refused', `A rules run started by ${by} is under way; wait for it to finish, then run again.`, { trigger: this.current.trigger });
    }
    return this.execute('manual', dryRun, await this.options.settings());
  }

  private async scheduled(): Promise<void> {
    this.timer = undefined;
    try {
      if (this.current) return;
      const settings = await this.options.settings();
      this.paused = settings.paused;
      // A schedule changed in the file (by hand, or by another copy of the app) counts from here.
      this.everyMinutes = settings.schedule.everyMinutes;
      // Nothing could act: no run, so the audit log is not filled with previews every few minutes.
      if (settings.paused || !canAct(settings)) return;
      await this.execute('schedule', false, settings);
    } catch (thrown) {
      this.options.log(`The scheduled rules run failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    } finally {
      if (this.started) this.reschedule({ everyMinutes: this.everyMinutes });
    }
  }

  private async execute(trigger: RulesRunSummary['trigger'], dryRun: boolean, settings: SeedingSettings): Promise<RulesRun> {
    const startedAt = this.now();
    const boxes = this.options.boxes().map((box) => this.pausable(box));
    // A dry run lists each box afresh too, so it counts as a check (as `seedbox rules run --dry-run`).
    const { sightings } = this.options;
    const done = run(settings, boxes, dryRun ? { dryRun, sightings } : { sightings, record: (plan) => this.options.record(plan) });
    this.current = { trigger, done };
    this.options.onChange();
    try {
      const result = await done;
      const summary = summarise(result, { trigger, dryRun, startedAt, finishedAt: this.now() });
      if (!dryRun) {
        this.lastRun = summary;
        this.options.onRun(summary);
      }
      return { result, summary };
    } finally {
      this.current = undefined;
      this.options.onChange();
    }
  }

  /** The box's client refuses every action once the pause is set, so a run under way stops acting. */
  private pausable(box: RunBox): RunBox {
    const guard = <A extends unknown[], R>(action: (...args: A) => Promise<R>) =>
      (...args: A): Promise<R> => {
        if (this.paused) return Promise.reject(new SeedboxError('refused', 'Rules were paused during the run.'));
        return action(...args);
      };
    return {
      seedbox: box.seedbox,
      open: async () => {
        const opened = await box.open();
        const client: RuleClient = {
          list: () => opened.client.list(),
          readTrackers: (ids) => opened.client.readTrackers?.(ids) ?? Promise.resolve([]),
          sessionStats: () => opened.client.sessionStats(),
          stop: guard((ids) => opened.client.stop(ids)),
          remove: guard((ids, options) => opened.client.remove(ids, options)),
          setLabels: guard((ids, labels) => opened.client.setLabels(ids, labels)),
          reannounce: guard((ids) => opened.client.reannounce(ids)),
        };
        return { client, close: () => opened.close() };
      },
    };
  }
}

/** Whether a run could act at all: an enabled live rule, or a live space target. */
export function canAct(settings: SeedingSettings): boolean {
  return settings.rules.some((rule) => rule.enabled && !rule.problem && rule.mode === 'live') || settings.spaceTargets.some((target) => target.mode === 'live');
}

export function summarise(result: RunResult, run: Pick<RulesRunSummary, 'trigger' | 'dryRun' | 'startedAt' | 'finishedAt'>): RulesRunSummary {
  return {
    ...run,
    boxes: result.plans.map((plan) => {
      const done = plan.decisions.filter((decision) => decision.outcome === 'done');
      const count = (operations: readonly string[]): number => done.filter((decision) => operations.includes(decision.operation)).length;
      return {
        seedbox: plan.seedbox,
        done: done.length,
        removed: count(['remove', 'remove-data']),
        stopped: count(['stop']),
        labelled: count(['add-label', 'remove-label']),
        failed: plan.decisions.filter((decision) => decision.outcome === 'failed').length,
        bytesFreed: plan.bytesFreed,
        bytesFreedUpperBound: done.some((decision) => decision.bytesFreed > 0 && decision.bytesFreedUpperBound),
      };
    }),
    failures: result.failures.map(({ seedbox, error }) => ({ seedbox, error: serializeError(error) })),
  };
}
