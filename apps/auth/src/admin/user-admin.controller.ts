import { authV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Controller } from '@nestjs/common';
import { AccountService } from '../auth/account.service.js';

// The admin console's calls. AccountService checks, against the database, that the caller is
// an enabled administrator.
@Controller()
@authV1.UserAdminServiceControllerMethods()
export class UserAdminController implements authV1.UserAdminServiceController {
  constructor(private readonly accounts: AccountService) {}

  updateUser(request: authV1.UpdateUserRequest): Promise<authV1.UpdateUserResponse> {
    return this.accounts.updateUser(request);
  }

  listUsers(): Promise<authV1.ListUsersResponse> {
    return notYet();
  }

  getUsers(): Promise<authV1.GetUsersResponse> {
    return notYet();
  }

  getUserStats(): Promise<authV1.GetUserStatsResponse> {
    return notYet();
  }

  listAudit(): Promise<authV1.ListAuditResponse> {
    return notYet();
  }
}

function notYet(): Promise<never> {
  return Promise.reject(new DomainError(ErrorCode.INTERNAL, 'Not available yet'));
}
