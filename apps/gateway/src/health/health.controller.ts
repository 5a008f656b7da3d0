import { healthV1, type GrpcServiceName } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { ShutdownState } from '@lexy/server-shutdown';
import type { ObjectStorage } from '@lexy/server-storage';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HEALTH_CLIENTS, type HealthClient } from '../grpc/grpc-clients.js';
import { OBJECT_STORAGE } from '../files/storage.provider.js';

type PartStatus = 'up' | 'down';

class HealthResponse {
  @ApiProperty({ example: 'ok' }) status: 'ok';
  @ApiProperty({ example: { auth: 'up', files: 'up', quotas: 'up', relay: 'up', storage: 'up' } })
  details: Record<string, PartStatus>;
}

/**
 * GET /health: 200 when the gateway and every part it needs answer, else 503 naming the failing
 * parts; 503 at once while the gateway drains after SIGTERM, so that load balancers stop sending.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HEALTH_CLIENTS) private readonly services: Record<GrpcServiceName, HealthClient>,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Readiness of the gateway and the services behind it' })
  @ApiOkResponse({ type: HealthResponse })
  @ApiServiceUnavailableResponse({ description: 'SERVICE_UNAVAILABLE with details naming the failing parts' })
  async check(): Promise<HealthResponse> {
    if (this.shutdown.draining) {
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'This gateway is shutting down', { gateway: 'draining' });
    }
    const serving = healthV1.HealthCheckResponse_ServingStatus.SERVING;
    const probes: Record<string, Promise<boolean>> = {
      storage: this.storage.ping().catch(() => false),
    };
    for (const [name, client] of Object.entries(this.services)) {
      probes[name] = client
        .check({ service: '' })
        .then((answer) => answer.status === serving)
        .catch(() => false);
    }
    const names = Object.keys(probes).sort();
    const results = await Promise.all(names.map((name) => probes[name]));
    const details = Object.fromEntries(names.map((name, i) => [name, results[i] ? 'up' : 'down'])) as Record<
      string,
      PartStatus
    >;
    if (Object.values(details).includes('down')) {
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'Some parts of the platform are unavailable', details);
    }
    return { status: 'ok', details };
  }
}
