import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AUTH_CLIENT, type AuthClient } from '../grpc/grpc-clients.js';
import { AnonymousSessionRequest, AnonymousSessionResponse } from './auth.dto.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(@Inject(AUTH_CLIENT) private readonly auth: AuthClient) {}

  @Post('anonymous')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create an anonymous identity and get its tokens' })
  @ApiOkResponse({ type: AnonymousSessionResponse })
  async createAnonymous(@Body() body: AnonymousSessionRequest): Promise<AnonymousSessionResponse> {
    const created = await this.auth.createAnonymousUser({ fingerprint: body.fingerprint ?? '' });
    return {
      user: { id: created.user?.id ?? '', group: created.user?.group ?? 'anonymous' },
      accessToken: created.accessToken,
      refreshToken: created.refreshToken,
      expiresIn: created.expiresIn,
    };
  }
}
