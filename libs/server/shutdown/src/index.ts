export { HttpServerDrain } from './http-server-drain.js';
export { InFlight } from './in-flight.js';
export { realSchedule, ShutdownState, type DrainOutcome, type Schedule } from './shutdown-state.js';
export {
  DEFAULT_CLOSE_MARGIN_MS,
  handleTerminationSignals,
  type ShutdownLog,
  type TerminationOptions,
} from './termination-signals.js';
