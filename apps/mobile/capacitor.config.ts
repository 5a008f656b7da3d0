// Capacitor configuration of the Lexy Files mobile app (read by `cap sync`, copied into the native
// projects as capacitor.config.json). Native settings that Capacitor cannot express here
// (permissions, intent filters, App Transport Security, the share extension) live in the native
// projects themselves; apps/mobile/NATIVE.md says where.
//
// Plugin options are plain objects on purpose: importing a plugin's enums (e.g. KeyboardResize)
// would make the CLI load the plugin's browser code in Node when it reads this file.
import type { CapacitorConfig } from '@capacitor/cli';

/**
 * App Group shared by the app and its iOS Share Extension (see ios/App/ShareExtension); the
 * entitlements and the extension's Info.plist name it too (`npm run mobile:check` compares).
 */
const IOS_APP_GROUP = 'group.io.lexyfiles.app';

/**
 * Live reload: `LEXY_MOBILE_DEV_SERVER=http://<this machine's LAN address>:4200 npx cap sync`
 * makes the app load the Angular dev server instead of its bundled files (NATIVE.md, "Live
 * reload"). Never set for a release build: `npm run mobile:sync` warns when it is set, and
 * `npm run mobile:check` ignores it.
 */
const devServer = process.env['LEXY_MOBILE_DEV_SERVER'];

const config: CapacitorConfig = {
  appId: 'io.lexyfiles.app',
  appName: 'Lexy Files',
  webDir: 'dist/browser',
  server: {
    // The app's own origin is https://localhost on Android (capacitor://localhost on iOS): a
    // secure context, so crypto.subtle, the clipboard and getUserMedia work.
    androidScheme: 'https',
    ...(devServer ? { url: devServer, cleartext: true } : {}),
  },
  android: {
    // The Lexy server is not part of the app: each user enters their server's URL in the app's
    // settings. A self-hoster's server on the home network is often plain http
    // (http://192.168.1.20:8080, http://nas.local:8080). From the https://localhost page those
    // requests are mixed content, which the WebView blocks unless this is on. Cleartext itself is
    // permitted by res/xml/network_security_config.xml; https servers are unaffected.
    allowMixedContent: true,
  },
  plugins: {
    Keyboard: {
      // iOS: resize the body, not the whole web view, so Ionic's footers and `vh` stay stable.
      resize: 'body',
      // Android: Capacitor 8 draws edge to edge, where the web view is not resized for the
      // keyboard without this workaround.
      resizeOnFullScreen: true,
    },
    LocalNotifications: {
      // res/drawable/ic_stat_lexy.xml: a white silhouette, as Android status bar icons must be.
      smallIcon: 'ic_stat_lexy',
      iconColor: '#1d4ed8',
    },
    CapacitorShareTarget: {
      // iOS only: where the Share Extension leaves what was shared for the app to pick up.
      appGroupId: IOS_APP_GROUP,
    },
  },
};

export default config;
