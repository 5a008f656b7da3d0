export { createQueue, createRedisConnection, createWorker, DEFAULT_JOB_OPTIONS } from './queue-factory.js';
