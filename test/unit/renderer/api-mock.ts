// The window's bridge to main, replaced in component tests. vi.mock is hoisted above imports, so
// a test passes this module's factory through a dynamic import:
//   vi.mock('../../../renderer/src/api', async (importOriginal) => (await import('./api-mock')).mockedApi(importOriginal));
import { vi, type Mock } from 'vitest';
import type { InvokeArgs, InvokeChannel } from '../../../electron/shared/contract';
import type * as Api from '../../../renderer/src/api';

/** The real module (ApiError, ...) with `call` and `on` as mocks and a bridge that is always there. */
export async function mockedApi(importOriginal: () => Promise<typeof Api>): Promise<typeof Api> {
  return { ...(await importOriginal()), call: vi.fn(), on: vi.fn(() => () => {}), hasBridge: () => true };
}

/** The arguments of every call the mocked `call` got on `channel`, oldest first. */
export function callsTo<C extends InvokeChannel>(callMock: Mock<typeof Api.call>, channel: C): InvokeArgs<C>[] {
  return callMock.mock.calls.filter(([name]) => name === channel).map(([, args]) => args as InvokeArgs<C>);
}
