import { redact } from '@iiot/core';
import { RuntimeError } from './errors.js';
import { startResource, targetStateOf } from './resources/start-resource.js';
import type {
  BufferMetrics,
  FlowMetrics,
  ResourceContext,
  ResourceModel,
  ResourceState,
  RunningResource,
} from './resources/types.js';

/** Where a service is in its life: install → disabled → enabling → enabled → disabling → disabled. */
export type ServiceState = 'disabled' | 'enabling' | 'enabled' | 'disabling';

/** One resource in `status()`. */
export interface ResourceStatus {
  id: string;
  type: string;
  targetState: ResourceState;
  state: ResourceState;
  flow?: FlowMetrics;
  buffer?: BufferMetrics;
}

/** A resource whose actual state differs from its target state. */
export interface Deviation {
  resourceId: string;
  targetState: ResourceState;
  state: ResourceState;
}

/** One service in `status()`. */
export interface ServiceStatus {
  serviceId: string;
  state: ServiceState;
  targetState: 'enabled' | 'disabled';
  /** True when any resource's actual state differs from its target state. */
  deviated: boolean;
  deviations: Deviation[];
  resources: ResourceStatus[];
  /** Why the last enable failed, redacted. */
  lastError?: Record<string, unknown>;
}

/**
 * Runs the resources of one service in dependency order. Enabling starts them one by one and, if one fails,
 * stops those already started in reverse order before rethrowing, so a failed enable leaves nothing behind.
 */
export class ServiceInstance {
  state: ServiceState = 'disabled';
  lastError: unknown;
  private readonly running = new Map<string, RunningResource>();

  constructor(
    readonly serviceId: string,
    public resources: ResourceModel[],
    private readonly context: ResourceContext,
  ) {}

  /** The running resource with this id, if the service is enabled. */
  get(resourceId: string): RunningResource | undefined {
    return this.running.get(resourceId);
  }

  async enable(): Promise<void> {
    if (this.state !== 'disabled') return;
    this.state = 'enabling';
    this.lastError = undefined;
    try {
      await this.startAll(this.resources);
      this.state = 'enabled';
    } catch (error) {
      await this.stopAll();
      this.state = 'disabled';
      this.lastError = error;
      throw new RuntimeError(
        'ENABLE_FAILED',
        `Service ${this.serviceId} could not be enabled and was rolled back: ${(error as Error).message}`,
        { cause: error, retryable: (error as { retryable?: boolean }).retryable ?? false },
      );
    }
  }

  async disable(): Promise<void> {
    if (this.state !== 'enabled') return;
    this.state = 'disabling';
    await this.stopAll();
    this.state = 'disabled';
  }

  /**
   * Switches to a new definition. While enabled, only the resources in `restart` (changed, added or removed,
   * plus whatever references them) are stopped and started again; every other resource keeps running.
   */
  async replace(resources: ResourceModel[], restart: ReadonlySet<string>): Promise<void> {
    const previous = this.resources;
    this.resources = resources;
    if (this.state !== 'enabled') return;
    for (const r of [...previous].reverse()) {
      if (restart.has(r.id)) await this.stopOne(r.id);
    }
    try {
      await this.startAll(resources.filter((r) => restart.has(r.id)));
    } catch (error) {
      this.lastError = error;
      throw new RuntimeError(
        'ENABLE_FAILED',
        `Service ${this.serviceId}: the reconfigured resources could not be started: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  status(targetState: 'enabled' | 'disabled'): ServiceStatus {
    const resources = this.resources.map((r): ResourceStatus => {
      const run = this.running.get(r.id);
      const target = targetState === 'enabled' ? targetStateOf(r) : 'disabled';
      const state = run?.state() ?? (target === 'unsupported' ? 'unsupported' : 'disabled');
      const flow = run?.flow?.();
      const buffer = run?.buffer?.();
      return { id: r.id, type: r.type, targetState: target, state, ...(flow && { flow }), ...(buffer && { buffer }) };
    });
    const deviations = resources
      .filter((r) => r.state !== r.targetState)
      .map((r) => ({ resourceId: r.id, targetState: r.targetState, state: r.state }));
    return {
      serviceId: this.serviceId,
      state: this.state,
      targetState,
      deviated: deviations.length > 0 || this.state !== (targetState === 'enabled' ? 'enabled' : 'disabled'),
      deviations,
      resources,
      ...(this.lastError !== undefined && { lastError: redact({ error: this.lastError }).error as Record<string, unknown> }),
    };
  }

  private async startAll(resources: readonly ResourceModel[]): Promise<void> {
    for (const resource of resources) {
      this.running.set(resource.id, await startResource(resource, this.context));
    }
  }

  private async stopAll(): Promise<void> {
    for (const id of [...this.running.keys()].reverse()) await this.stopOne(id);
  }

  private async stopOne(id: string): Promise<void> {
    const run = this.running.get(id);
    if (!run) return;
    this.running.delete(id);
    try {
      await run.stop();
    } catch (error) {
      this.context.log.warn({ resource: id, err: error }, 'resource did not stop cleanly');
    }
  }
}
