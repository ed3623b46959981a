import type { ScheduleDefinition } from '../../shared/resources';
import { declaredGrant, runWithGrant } from '../../shared/system/grants';
import { lambdaContext, loadHandler } from './http-api';

type ScheduleHandler = (event: { scheduleId: string; scheduledTime: string }, context: unknown) => Promise<unknown>;

/**
 * Fires each schedule every `localEveryMs` (EventBridge Scheduler's stand-in). A run that is
 * still going when the next is due is not overlapped: that tick is skipped.
 */
export class LocalScheduler {
  private timers: NodeJS.Timeout[] = [];
  private inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly schedules: readonly ScheduleDefinition[],
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  start(): void {
    for (const s of this.schedules) {
      this.timers.push(setInterval(() => void this.fire(s), s.localEveryMs));
    }
  }

  async fire(s: ScheduleDefinition): Promise<unknown> {
    if (this.inFlight.has(s.id)) return undefined;
    const run = (async () => {
      const handler = await loadHandler<ScheduleHandler>(s.handler);
      // With the stack's grants: only what the schedule declares.
      return runWithGrant(declaredGrant(`${s.id}Schedule`, s), () => handler({ scheduleId: s.id, scheduledTime: new Date().toISOString() }, lambdaContext(s.id, s.timeoutSeconds * 1000)));
    })();
    this.inFlight.set(s.id, run);
    try {
      return await run;
    } catch (err) {
      this.log(`[schedule] ${s.id} failed: ${(err as Error).message}`);
      return undefined;
    } finally {
      this.inFlight.delete(s.id);
    }
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await Promise.allSettled([...this.inFlight.values()]);
  }
}
