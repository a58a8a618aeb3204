// Minimal Reflect metadata API for @peculiar/x509's dependency tsyringe, which refuses to load
// without one (the repo ships no reflect-metadata package). Import before @peculiar/x509.
type MetaMap = Map<unknown, unknown>;
const store = new WeakMap<object, Map<PropertyKey | undefined, MetaMap>>();
const R = Reflect as unknown as Record<string, unknown>;

function own(target: object, prop: PropertyKey | undefined, create: boolean): MetaMap | undefined {
  let byProp = store.get(target);
  if (!byProp && create) store.set(target, (byProp = new Map()));
  let m = byProp?.get(prop);
  if (!m && create && byProp) byProp.set(prop, (m = new Map()));
  return m;
}

if (typeof R.getMetadata !== 'function') {
  const defineMetadata = (key: unknown, value: unknown, target: object, prop?: PropertyKey) => own(target, prop, true)!.set(key, value);
  const getOwnMetadata = (key: unknown, target: object, prop?: PropertyKey) => own(target, prop, false)?.get(key);
  const getMetadata = (key: unknown, target: object, prop?: PropertyKey): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const m = own(t, prop, false);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
  Object.assign(R, {
    defineMetadata,
    getOwnMetadata,
    getMetadata,
    hasMetadata: (key: unknown, target: object, prop?: PropertyKey) => getMetadata(key, target, prop) !== undefined,
    metadata: (key: unknown, value: unknown) => (target: object, prop?: PropertyKey) => defineMetadata(key, value, target, prop),
  });
}
export {};
