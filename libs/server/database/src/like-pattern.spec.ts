import { containsPattern, LIKE_ESCAPE } from './like-pattern.js';

describe('containsPattern', () => {
  it('wraps the text in wildcards', () => {
    expect(containsPattern('report')).toBe('%report%');
  });

  it.each([
    ['%', '%!%%'],
    ['_', '%!_%'],
    ['!', '%!!%'],
    ['50%_off!', '%50!%!_off!!%'],
  ])('escapes the wildcards and the escape character in %j', (text, pattern) => {
    expect(containsPattern(text)).toBe(pattern);
  });

  it('leaves quotes, backslashes and SQL alone: the pattern is bound as a parameter', () => {
    expect(containsPattern("' OR 1=1 --\\")).toBe("%' OR 1=1 --\\%");
    expect(LIKE_ESCAPE).toBe('!');
  });
});
