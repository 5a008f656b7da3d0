// Unit tests of the rules behind `node tools/mobile/sync.mjs --check`.
// Run: node --test tools/mobile/*.test.mjs
// The identity tests start from the committed native projects and change one thing at a time.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  diffFileSets,
  IDENTITY_FILES,
  identityProblems,
  pinProblems,
  plistString,
  plistStrings,
  xcodeBuildConfigurations,
} from './native-check.mjs';

const appDir = fileURLToPath(new URL('../../apps/mobile', import.meta.url));
const committed = () =>
  Object.fromEntries(IDENTITY_FILES.map((file) => [file, readFileSync(join(appDir, file), 'utf8')]));
const config = {
  appId: 'io.lexyfiles.app',
  appName: 'Lexy Files',
  plugins: { CapacitorShareTarget: { appGroupId: 'group.io.lexyfiles.app' } },
};
const PBXPROJ = 'ios/App/App.xcodeproj/project.pbxproj';

describe('diffFileSets', () => {
  it('names files added, removed and changed, sorted', () => {
    const before = new Map([
      ['b', Buffer.from('same')],
      ['a', Buffer.from('old')],
      ['gone', Buffer.from('x')],
    ]);
    const after = new Map([
      ['b', Buffer.from('same')],
      ['a', Buffer.from('new')],
      ['z-new', Buffer.from('y')],
      ['c-new', Buffer.from('y')],
    ]);
    assert.deepEqual(diffFileSets(before, after), { added: ['c-new', 'z-new'], removed: ['gone'], changed: ['a'] });
  });

  it('finds nothing when the contents are equal', () => {
    const files = new Map([['a', Buffer.from('1')]]);
    assert.deepEqual(diffFileSets(files, new Map([['a', Buffer.from('1')]])), { added: [], removed: [], changed: [] });
  });
});

describe('pinProblems', () => {
  const rootPackage = {
    dependencies: { '@capacitor/core': '8.5.2', '@capacitor/app': '8.1.1' },
    devDependencies: { '@capacitor/cli': '8.5.2' },
  };

  it('accepts the root versions and workspace packages', () => {
    const mobile = {
      dependencies: { '@lexy/client-api': '*', '@capacitor/core': '8.5.2' },
      devDependencies: { '@capacitor/cli': '8.5.2' },
    };
    assert.deepEqual(pinProblems(rootPackage, mobile), []);
  });

  it('reports a version other than the root one, and a package the root lacks', () => {
    const mobile = { dependencies: { '@capacitor/app': '^8.1.1', '@capacitor/share': '8.0.2' } };
    assert.deepEqual(pinProblems(rootPackage, mobile), [
      'apps/mobile/package.json: @capacitor/app is ^8.1.1, the root package.json has 8.1.1',
      'apps/mobile/package.json: @capacitor/share is not in the root package.json',
    ]);
  });

  it('holds for the committed apps/mobile/package.json', () => {
    const read = (path) => JSON.parse(readFileSync(path, 'utf8'));
    assert.deepEqual(pinProblems(read(join(appDir, '../../package.json')), read(join(appDir, 'package.json'))), []);
  });
});

describe('property list and Xcode project readers', () => {
  it('reads string and array values of a property list', () => {
    const plist = `<dict><key>A</key>\n\t<string>one &amp; two</string><key>G</key><array>
      <string>group.x</string><string>group.y</string></array></dict>`;
    assert.equal(plistString(plist, 'A'), 'one & two');
    assert.equal(plistString(plist, 'missing'), undefined);
    assert.deepEqual(plistStrings(plist, 'G'), ['group.x', 'group.y']);
    assert.deepEqual(plistStrings(plist, 'missing'), []);
  });

  it("reads every build configuration of the committed project with its target's Info.plist", () => {
    const configurations = xcodeBuildConfigurations(committed()[PBXPROJ]);
    const byTarget = (infoPlist) =>
      configurations
        .filter((c) => c.infoPlist === infoPlist)
        .map((c) => c.name)
        .sort();
    assert.equal(configurations.length, 6);
    assert.deepEqual(byTarget(undefined), ['Debug', 'Release']);
    assert.deepEqual(byTarget('App/Info.plist'), ['Debug', 'Release']);
    assert.deepEqual(byTarget('ShareExtension/Info.plist'), ['Debug', 'Release']);
    const extension = configurations.find((c) => c.infoPlist === 'ShareExtension/Info.plist');
    assert.equal(extension.settings.PRODUCT_BUNDLE_IDENTIFIER, 'io.lexyfiles.app.share');
    assert.equal(extension.settings.PRODUCT_NAME, '$(TARGET_NAME)');
  });
});

describe('identityProblems', () => {
  it('finds none in the committed native projects', () => {
    assert.deepEqual(identityProblems(config, committed()), []);
  });

  it('reports an app id that capacitor.config.ts changed after `cap add`', () => {
    const problems = identityProblems({ ...config, appId: 'io.example.other' }, committed());
    assert.ok(
      problems.includes('android/app/build.gradle: applicationId is "io.lexyfiles.app", expected "io.example.other"'),
    );
    assert.ok(problems.some((p) => p.startsWith(`${PBXPROJ} (App, Debug): PRODUCT_BUNDLE_IDENTIFIER`)));
    assert.ok(problems.some((p) => p.includes('(ShareExtension, Release): PRODUCT_BUNDLE_IDENTIFIER')));
  });

  it('reports an app name that only one platform has', () => {
    const files = committed();
    files['ios/App/App/Info.plist'] = files['ios/App/App/Info.plist'].replace(
      '<string>Lexy Files</string>',
      '<string>Lexy</string>',
    );
    assert.deepEqual(identityProblems(config, files), [
      'ios/App/App/Info.plist: CFBundleDisplayName is "Lexy", expected "Lexy Files"',
    ]);
  });

  it("reports a share extension whose version is not the app's", () => {
    const files = committed();
    const pbx = files[PBXPROJ];
    const start = pbx.indexOf('INFOPLIST_FILE = ShareExtension/Info.plist;');
    const blockStart = pbx.lastIndexOf('isa = XCBuildConfiguration;', start);
    files[PBXPROJ] =
      pbx.slice(0, blockStart) + pbx.slice(blockStart).replace('MARKETING_VERSION = 1.0;', 'MARKETING_VERSION = 1.1;');
    assert.deepEqual(identityProblems(config, files), [
      `${PBXPROJ} (ShareExtension, Debug): MARKETING_VERSION (the app's) is "1.1", expected "1.0"`,
    ]);
  });

  it('reports an App Group that the entitlements or the extension do not share', () => {
    const other = { ...config, plugins: { CapacitorShareTarget: { appGroupId: 'group.io.example' } } };
    assert.deepEqual(identityProblems(other, committed()), [
      'ios/App/ShareExtension/Info.plist: LexyAppGroup is "group.io.lexyfiles.app", expected "group.io.example"',
      'ios/App/App/App.entitlements: the App Group group.io.example is not among com.apple.security.application-groups',
      'ios/App/ShareExtension/ShareExtension.entitlements: the App Group group.io.example is not among com.apple.security.application-groups',
    ]);
  });

  it('reports a missing appGroupId and a missing file', () => {
    const files = committed();
    delete files['ios/App/ShareExtension/ShareExtension.entitlements'];
    assert.deepEqual(identityProblems({ ...config, plugins: {} }, files), [
      'capacitor.config.ts: plugins.CapacitorShareTarget.appGroupId is not set',
    ]);
    assert.ok(
      identityProblems(config, files).includes('ios/App/ShareExtension/ShareExtension.entitlements is missing'),
    );
  });
});
