// Awaits a promise that must reject with a CollectError and returns that error, so a test can
// assert its kind and message.
import { CollectError } from '../../collectors/errors';

export async function failure(p: Promise<unknown>): Promise<CollectError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof CollectError)) throw new Error(`expected a CollectError, got ${err === undefined ? 'success' : String(err)}`);
  return err;
}
