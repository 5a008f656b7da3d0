import { authV1 } from '@lexy/contracts-grpc';
import { Controller } from '@nestjs/common';
import { AuthService } from './auth.service.js';

@Controller()
@authV1.AuthServiceControllerMethods()
export class AuthController implements authV1.AuthServiceController {
  constructor(private readonly auth: AuthService) {}

  createAnonymousUser(request: authV1.CreateAnonymousUserRequest): Promise<authV1.CreateAnonymousUserResponse> {
    return this.auth.createAnonymousUser(request.fingerprint);
  }

  verifyAccessToken(request: authV1.VerifyAccessTokenRequest): Promise<authV1.VerifyAccessTokenResponse> {
    return this.auth.verifyAccessToken(request.accessToken);
  }
}
