import { GrpcHealthController, READINESS_CHECKS, type ReadinessCheck } from '@lexy/server-grpc';
import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { FilesConfig } from './config/files.config.js';
import { dataSourceProvider, FILES_CONFIG } from './database/database.providers.js';

@Module({})
export class AppModule {
  static register(config: FilesConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [GrpcHealthController],
      providers: [
        { provide: FILES_CONFIG, useValue: config },
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
