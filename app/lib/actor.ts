// Who is making a request: the name runs and checklist ticks are recorded under, and the address it
// came from. Until sign-in exists every dashboard user is 'anonymous'; the security branch replaces
// this body with the signed-in user. The address is the socket's, set by server/http.ts.
export const REMOTE_ADDRESS_HEADER = 'x-impulse-remote-address';

export function getActor(request: Request): { name: string; address: string } {
  return { name: 'anonymous', address: request.headers.get(REMOTE_ADDRESS_HEADER) ?? 'unknown' };
}
