// Waiting for a line in a child process's output (e2e tests that start `impulse start`).
import type { ChildProcess } from 'node:child_process';

/** Resolves with the first match of `re` in `output()`, or rejects when the child exits or after `ms`. */
export function waitForOutput(child: ChildProcess, output: () => string, re: RegExp, ms: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = output().match(re);
      if (m) {
        clearInterval(timer);
        clearTimeout(deadline);
        resolve(m);
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        clearTimeout(deadline);
        reject(new Error(`impulse start exited with ${child.exitCode}:\n${output()}`));
      }
    };
    const timer = setInterval(check, 100);
    const deadline = setTimeout(() => {
      clearInterval(timer);
      reject(new Error(`timed out waiting for ${re}:\n${output()}`));
    }, ms);
    check();
  });
}
