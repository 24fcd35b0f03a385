/**
 * The CRM's clock: everything time-based here (cadence due times, pool release, score decay,
 * segment "within N days") asks it for now, so tests set or advance time instead of sleeping.
 */
export default () => {
  let fixed: number | null = null;
  return {
    now(): Date {
      return new Date(fixed ?? Date.now());
    },
    /** freezes time at `at`; null returns to the real clock */
    set(at: Date | number | null) {
      fixed = at == null ? null : new Date(at).getTime();
    },
    advance(ms: number) {
      fixed = (fixed ?? Date.now()) + ms;
    },
  };
};

export interface Clock {
  now(): Date;
  set(at: Date | number | null): void;
  advance(ms: number): void;
}
