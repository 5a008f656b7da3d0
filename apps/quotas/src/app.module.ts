import { GrpcHealthController, READINESS_CHECKS, type ReadinessCheck } from '@lexy/server-grpc';
import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { QuotasConfig } from './config/quotas.config.js';
import { dataSourceProvider, QUOTAS_CONFIG } from './database/database.providers.js';

@Module({})
export class AppModule {
  static register(config: QuotasConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [GrpcHealthController],
      providers: [
        { provide: QUOTAS_CONFIG, useValue: config },
        dataSourceProvider,
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
