import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { appConfig } from './app/app.config';
import { loadServerUrl } from './app/platform/server-url';

// The server is read before the app starts: every service is built against it.
loadServerUrl()
  .then((serverUrl) => bootstrapApplication(App, appConfig(serverUrl)))
  .catch((error: unknown) => console.error(error));
