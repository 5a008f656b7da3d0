import { GrpcHealthController, READINESS_CHECKS, type ReadinessCheck } from '@lexy/server-grpc';
import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { FilesConfig } from './config/files.config.js';
import { DataSourceCloser, dataSourceProvider, FILES_CONFIG } from './database/database.providers.js';
import { FilesController } from './files/files.controller.js';
import { filesProviders, type FilesOverrides } from './files/files.providers.js';
import { FilesRepository } from './files/files.repository.js';
import { FilesService } from './files/files.service.js';

@Module({})
export class AppModule {
  static register(config: FilesConfig, overrides: FilesOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      controllers: [GrpcHealthController, FilesController],
      providers: [
        { provide: FILES_CONFIG, useValue: config },
        dataSourceProvider,
        DataSourceCloser,
        FilesRepository,
        FilesService,
        ...filesProviders(overrides),
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
