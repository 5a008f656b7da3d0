import { jest } from '@jest/globals';

type AnyFunction = (...args: never[]) => unknown;
type Methods<T> = { [K in keyof T as T[K] extends AnyFunction ? K : never]: T[K] };

export type StrictMock<T> = T & { [K in keyof Methods<T>]: jest.Mock<Extract<T[K], AnyFunction>> };

/**
 * A mock whose every method is a jest.fn that throws until a test gives it behaviour, so a
 * call the test did not expect fails loudly instead of returning undefined.
 */
export function strictMock<T extends object>(name: string): StrictMock<T> {
  const methods = new Map<PropertyKey, jest.Mock>();
  return new Proxy({} as StrictMock<T>, {
    get(_target, property) {
      if (property === 'then') return undefined;
      let method = methods.get(property);
      if (!method) {
        method = jest.fn(() => {
          throw new Error(`unexpected call: ${name}.${String(property)}`);
        });
        methods.set(property, method);
      }
      return method;
    },
  });
}
