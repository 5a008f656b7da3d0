import { GrpcHealthController, READINESS_CHECKS, type ReadinessCheck } from '@lexy/server-grpc';
import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthController } from './auth/auth.controller.js';
import { AuthRepository } from './auth/auth.repository.js';
import { AuthService } from './auth/auth.service.js';
import { Clock, SystemClock } from './auth/clock.js';
import { TokenService } from './auth/token.service.js';
import { AUTH_CONFIG, type AuthConfig } from './config/auth.config.js';
import { dataSourceProvider, DataSourceCloser } from './database/database.providers.js';

export interface AppOverrides {
  /** Replaces the system clock (tests move time instead of waiting). */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static register(config: AuthConfig, overrides: AppOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      controllers: [GrpcHealthController, AuthController],
      providers: [
        { provide: AUTH_CONFIG, useValue: config },
        { provide: Clock, useValue: overrides.clock ?? new SystemClock() },
        dataSourceProvider,
        DataSourceCloser,
        AuthRepository,
        TokenService,
        AuthService,
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
