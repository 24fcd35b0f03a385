/**
 * Real Redis for queue tests. Each test gets its own key prefix so BullMQ queues of
 * different tests never see each other's jobs, and cleans it up afterwards.
 */
import { randomUUID } from 'node:crypto';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A BullMQ `prefix` unique to one test (default BullMQ prefix is "bull"). */
export const uniqueQueuePrefix = () => `moat-test-${randomUUID().slice(0, 8)}`;
