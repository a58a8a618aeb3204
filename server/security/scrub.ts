// Every secret value the process has read (cluster passwords, LDAP passwords, the metrics token,
// the session key, TLS passphrases), so text that leaves the process — log lines, audit details —
// can be checked for them. A safety net: messages are written never to contain secrets.
const MIN = 4;

export class SecretScrubber {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    if (value && value.length >= MIN) this.values.add(value);
  }

  scrub(text: string): string {
    let out = text;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join('[secret]');
    return out;
  }

  get size(): number {
    return this.values.size;
  }
}

/** The process's scrubber: the security service registers every secret it resolves. */
export const secretScrubber = new SecretScrubber();
