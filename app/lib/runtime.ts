// Pages and route handlers read the running product through this (server/runtime.ts).
export { getRuntime, type ImpulseRuntime, type RuntimeCollector } from '../../server/runtime';
