import { GrpcHealthController, READINESS_CHECKS, type ReadinessCheck } from '@lexy/server-grpc';
import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { QuotasConfig } from './config/quotas.config.js';
import { dataSourceProvider, DataSourceShutdown, QUOTAS_CONFIG } from './database/database.providers.js';
import { QuotaController } from './quotas/quota.controller.js';
import { QuotaRepository } from './quotas/quota.repository.js';
import { QuotaService } from './quotas/quota.service.js';

@Module({})
export class AppModule {
  static register(config: QuotasConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [GrpcHealthController, QuotaController],
      providers: [
        { provide: QUOTAS_CONFIG, useValue: config },
        dataSourceProvider,
        DataSourceShutdown,
        QuotaRepository,
        QuotaService,
        {
          provide: READINESS_CHECKS,
          inject: [DataSource],
          useFactory: (dataSource: DataSource): ReadinessCheck[] => [
            async () => (await dataSource.query('SELECT 1')).length === 1,
          ],
        },
      ],
    };
  }
}
