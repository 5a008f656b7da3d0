import { healthV1 } from '@lexy/contracts-grpc';
import { ShutdownState } from '@lexy/server-shutdown';
import { Controller, Inject, Optional } from '@nestjs/common';

/** A readiness probe of one dependency (database, Redis, storage); resolves true when usable. */
export type ReadinessCheck = () => Promise<boolean>;
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

const { HealthCheckResponse_ServingStatus: ServingStatus } = healthV1;

/**
 * Serves grpc.health.v1 Check: SERVING when every readiness check of the service passes, and
 * NOT_SERVING from the termination signal on (the service drains and takes no new work).
 */
@Controller()
@healthV1.HealthControllerMethods()
export class GrpcHealthController implements Pick<healthV1.HealthController, 'check'> {
  constructor(
    @Optional() @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[] = [],
    @Optional() private readonly shutdown?: ShutdownState,
  ) {}

  async check(): Promise<healthV1.HealthCheckResponse> {
    if (this.shutdown?.draining) return { status: ServingStatus.NOT_SERVING };
    const results = await Promise.all(this.checks.map((check) => check().catch(() => false)));
    return { status: results.every(Boolean) ? ServingStatus.SERVING : ServingStatus.NOT_SERVING };
  }
}
