// What `node tools/mobile/sync.mjs --check` judges, as pure functions of file contents, so the
// rules can be tested without Capacitor, Gradle or Xcode (native-check.test.mjs).
//
// Three kinds of drift are looked for:
// 1. the files `cap sync` generates (plugin lists in capacitor.settings.gradle,
//    capacitor.build.gradle, CapApp-SPM/Package.swift) differ from a fresh sync — diffFileSets;
// 2. the identity written once by `cap add` (app id, app name, the App Group) no longer matches
//    capacitor.config.ts, which `cap sync` never rewrites — identityProblems;
// 3. apps/mobile/package.json, which the CLI reads its plugin list from, lists a version other
//    than the root package.json that npm installs — pinProblems.

/** Relative paths added, removed or changed between two listings of file contents (Buffers). */
export function diffFileSets(before, after) {
  const added = [...after.keys()].filter((file) => !before.has(file)).sort();
  const removed = [...before.keys()].filter((file) => !after.has(file)).sort();
  const changed = [...after.keys()]
    .filter((file) => before.has(file) && !before.get(file).equals(after.get(file)))
    .sort();
  return { added, removed, changed };
}

/**
 * Versions in apps/mobile/package.json that differ from the root package.json. The root is
 * what npm installs (one hoisted copy of each package); the app's list is what Capacitor reads.
 * Workspace packages ("*") are left out.
 */
export function pinProblems(rootPackage, mobilePackage) {
  const rootVersions = { ...rootPackage.devDependencies, ...rootPackage.dependencies };
  const problems = [];
  for (const field of ['dependencies', 'devDependencies']) {
    for (const [name, version] of Object.entries(mobilePackage[field] ?? {})) {
      if (version === '*') continue;
      if (!(name in rootVersions)) {
        problems.push(`apps/mobile/package.json: ${name} is not in the root package.json`);
      } else if (rootVersions[name] !== version) {
        problems.push(
          `apps/mobile/package.json: ${name} is ${version}, the root package.json has ${rootVersions[name]}`,
        );
      }
    }
  }
  return problems;
}

/** The text of an XML element `<tag name="key">value</tag>` (Android string resources). */
function androidString(stringsXml, name) {
  const match = new RegExp(`<string\\s+name="${name}"\\s*>([^<]*)</string>`).exec(stringsXml);
  return match ? decodeXml(match[1]) : undefined;
}

function decodeXml(text) {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/\\'/g, "'")
    .replace(/&amp;/g, '&');
}

/** A string value of an XML property list (Info.plist), or undefined. */
export function plistString(plist, key) {
  const match = new RegExp(`<key>${escapeRegExp(key)}</key>\\s*<string>([^<]*)</string>`).exec(plist);
  return match ? decodeXml(match[1]) : undefined;
}

/** The strings of an array value of an XML property list (entitlements), or []. */
export function plistStrings(plist, key) {
  const match = new RegExp(`<key>${escapeRegExp(key)}</key>\\s*<array>([\\s\\S]*?)</array>`).exec(plist);
  if (!match) return [];
  return [...match[1].matchAll(/<string>([^<]*)<\/string>/g)].map((m) => decodeXml(m[1]));
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function unquote(value) {
  const trimmed = value.trim();
  return trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

/**
 * The build configurations of an Xcode project, each as
 * { name, infoPlist, settings: { KEY: value } }. Only single-line settings are read, which is all
 * the identity checks need.
 */
export function xcodeBuildConfigurations(pbxproj) {
  const configurations = [];
  const blocks = pbxproj.matchAll(
    /isa = XCBuildConfiguration;[\s\S]*?buildSettings = \{([\s\S]*?)\n\t{3}\};\s*name = ([^;]+);/g,
  );
  for (const [, body, name] of blocks) {
    const settings = {};
    for (const [, key, value] of body.matchAll(/^\s*([A-Z0-9_]+) = ([^(\n][^\n]*);$/gm)) {
      settings[key] = unquote(value);
    }
    configurations.push({ name: unquote(name), infoPlist: settings.INFOPLIST_FILE, settings });
  }
  return configurations;
}

/**
 * Where the native projects disagree with capacitor.config.ts about who the app is.
 *
 * @param config  the resolved Capacitor config (appId, appName, plugins)
 * @param files   file contents by path relative to apps/mobile; a missing file is a problem
 */
export function identityProblems(config, files) {
  const problems = [];
  const read = (path) => {
    const text = files[path];
    if (text === undefined) problems.push(`${path} is missing`);
    return text ?? '';
  };
  const expect = (where, what, actual, expected) => {
    if (actual !== expected) {
      problems.push(`${where}: ${what} is ${actual === undefined ? 'not set' : `"${actual}"`}, expected "${expected}"`);
    }
  };
  const { appId, appName } = config;

  const gradlePath = 'android/app/build.gradle';
  const gradle = read(gradlePath);
  expect(gradlePath, 'applicationId', /applicationId\s+"([^"]+)"/.exec(gradle)?.[1], appId);
  expect(gradlePath, 'namespace', /namespace\s*=?\s*"([^"]+)"/.exec(gradle)?.[1], appId);

  const stringsPath = 'android/app/src/main/res/values/strings.xml';
  const strings = read(stringsPath);
  expect(stringsPath, 'app_name', androidString(strings, 'app_name'), appName);
  expect(stringsPath, 'title_activity_main', androidString(strings, 'title_activity_main'), appName);
  expect(stringsPath, 'package_name', androidString(strings, 'package_name'), appId);
  expect(stringsPath, 'custom_url_scheme', androidString(strings, 'custom_url_scheme'), appId);

  const infoPath = 'ios/App/App/Info.plist';
  expect(infoPath, 'CFBundleDisplayName', plistString(read(infoPath), 'CFBundleDisplayName'), appName);

  const pbxPath = 'ios/App/App.xcodeproj/project.pbxproj';
  const configurations = xcodeBuildConfigurations(read(pbxPath));
  const app = configurations.filter((c) => c.infoPlist === 'App/Info.plist');
  const extension = configurations.filter((c) => c.infoPlist === 'ShareExtension/Info.plist');
  if (app.length === 0) problems.push(`${pbxPath}: no build configuration of the App target`);
  if (extension.length === 0) problems.push(`${pbxPath}: no build configuration of the ShareExtension target`);
  for (const c of app) {
    expect(`${pbxPath} (App, ${c.name})`, 'PRODUCT_BUNDLE_IDENTIFIER', c.settings.PRODUCT_BUNDLE_IDENTIFIER, appId);
  }
  for (const c of extension) {
    const where = `${pbxPath} (ShareExtension, ${c.name})`;
    // An extension's bundle id must start with its app's, and the App Store refuses an extension
    // whose version differs from its app's.
    expect(where, 'PRODUCT_BUNDLE_IDENTIFIER', c.settings.PRODUCT_BUNDLE_IDENTIFIER, `${appId}.share`);
    const appConfiguration = app.find((a) => a.name === c.name);
    if (appConfiguration) {
      for (const key of ['MARKETING_VERSION', 'CURRENT_PROJECT_VERSION']) {
        expect(where, `${key} (the app's)`, c.settings[key], appConfiguration.settings[key]);
      }
    }
  }

  const appGroup = config.plugins?.CapacitorShareTarget?.appGroupId;
  if (!appGroup) {
    problems.push('capacitor.config.ts: plugins.CapacitorShareTarget.appGroupId is not set');
  } else {
    const extensionInfo = 'ios/App/ShareExtension/Info.plist';
    expect(extensionInfo, 'LexyAppGroup', plistString(read(extensionInfo), 'LexyAppGroup'), appGroup);
    for (const path of ['ios/App/App/App.entitlements', 'ios/App/ShareExtension/ShareExtension.entitlements']) {
      const groups = plistStrings(read(path), 'com.apple.security.application-groups');
      if (!groups.includes(appGroup)) {
        problems.push(`${path}: the App Group ${appGroup} is not among com.apple.security.application-groups`);
      }
    }
  }
  return problems;
}

/** The files identityProblems reads, relative to apps/mobile. */
export const IDENTITY_FILES = [
  'android/app/build.gradle',
  'android/app/src/main/res/values/strings.xml',
  'ios/App/App/Info.plist',
  'ios/App/App.xcodeproj/project.pbxproj',
  'ios/App/ShareExtension/Info.plist',
  'ios/App/App/App.entitlements',
  'ios/App/ShareExtension/ShareExtension.entitlements',
];
