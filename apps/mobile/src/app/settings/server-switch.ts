import { Injectable } from '@angular/core';
import { saveServerUrl } from '../platform/server-url';

/**
 * Moving the app to another server: the address is kept, then the app starts again, since every
 * service (the API client, the session, the relay socket) was built for one server at start.
 */
@Injectable({ providedIn: 'root' })
export class ServerSwitch {
  save(origin: string): Promise<void> {
    return saveServerUrl(origin);
  }

  restart(): void {
    globalThis.location.reload();
  }
}
