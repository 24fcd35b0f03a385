/**
 * The cached "which touchpoint types does some flow follow" set against a flow being enabled
 * while a lookup is in flight: the lookup that read the old flows must neither be cached (the
 * live trigger path would drop the new flow's touchpoints for 5 s) nor let catch-up jump its
 * cursor past rows stored meanwhile. The repository is a fake so the lookup can be held open.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PREBUILT_FLOWS } from '../../flows/prebuilt';
import type { FlowRow } from '../../flows/repository';

const cart = PREBUILT_FLOWS.find((f) => f.key === 'abandoned-cart')!;
const state = {
  flow: { id: 7, key: cart.key, name: cart.name, enabled: false, definition: cart.definition } as unknown as FlowRow,
  hold: undefined as Promise<void> | undefined,
  moves: [] as Array<[number, number]>,
  pushed: [] as unknown[][],
};

vi.mock('../../flows/repository', () => ({
  createFlowRepository: () => ({
    countsByFlow: async () => new Map(),
    listFlows: async () => {
      const snapshot = { ...state.flow };
      await state.hold;
      return [snapshot];
    },
    getFlow: async () => state.flow,
    updateFlow: async (_id: number, patch: Partial<FlowRow>) => Object.assign(state.flow, patch),
    cursor: async () => 10,
    moveCursor: async (from: number, to: number) => {
      state.moves.push([from, to]);
      return true;
    },
  }),
}));
vi.mock('../../flows/ports', () => ({ flowPorts: () => ({ lastTouchpointId: async () => 12, touchpointsAfter: async () => [] }) }));
vi.mock('../../flows/carrier', () => ({
  createFlowCarrier: () => ({ push: async (events: unknown[]) => void state.pushed.push(events), idle: async () => undefined, close: async () => undefined }),
}));

const { default: flowsService } = await import('../flows');

const fakeStrapi = () =>
  ({
    plugin: () => ({ config: (k: string) => ({ flows: {}, queue: 'inline', workers: false })[k] }),
    db: { connection: {} },
    log: { info() {}, warn() {}, error() {}, debug() {} },
    eventHub: { on() {} },
  }) as never;

describe('flows: the followed-types cache across a flow change', () => {
  beforeEach(() => {
    state.flow.enabled = false;
    state.moves = [];
    state.pushed = [];
  });

  it('a lookup that read the flow before it was enabled is not cached, and catch-up does not skip rows', async () => {
    const flows = flowsService({ strapi: fakeStrapi() });
    let release!: () => void;
    state.hold = new Promise((r) => (release = r));
    const catchingUp = flows.catchUp(0); // reads "no flow enabled", held
    await new Promise((r) => setTimeout(r, 10));
    state.hold = undefined;
    await flows.update(7, { enabled: true });
    release();
    await catchingUp;
    expect(state.moves).toEqual([]); // rows 11 and 12 may belong to the flow just enabled

    await flows.onStored([{ id: 12, type: 'cart_add', customerId: 'c1', occurredAt: 1, properties: {}, site: 's', dedupeKey: null } as never]);
    expect(state.pushed).toHaveLength(1);
  });

  it('with no flow following anything, catch-up moves its cursor to the newest row', async () => {
    const flows = flowsService({ strapi: fakeStrapi() });
    state.hold = undefined;
    await flows.catchUp(0);
    expect(state.moves).toEqual([[10, 12]]);
  });
});
