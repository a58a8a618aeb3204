// IM domain syntax (reference/userid-uri-troubleshooter.md §1.7, §6 A11): "up to a maximum of 255
// characters … (a-zA-Z), any number (0-9), the hyphen (-), or the dot (.) … Domain labels must not
// start with a hyphen. The last label (for example, .com) must not start with a number. Abc.1om is an
// example of an invalid domain." (EN s3112–3117). The domains checked are each cluster's default
// domain and the domains of its users' IM addresses (under the Directory URI scheme, every directory
// URI domain is hosted: EN s874).
import type { AffectedItem, CheckDefinition } from '../types';
import { domainProblem } from '../users/syntax';
import { outcome, plural } from './helpers';
import { addressingOf } from './ic-common';

export const icDomainSyntax: CheckDefinition = {
  id: 'IC-DOMAIN-SYNTAX',
  section: 'Inter-clustering Troubleshooter',
  title: 'Verify every IM domain is a valid domain name.',
  description: 'Checks each IM&P cluster\'s default domain and the domains of its users\' IM addresses against Cisco\'s IM domain rules (length, characters, label starts).',
  needs: ['users'],
  evaluate(ctx) {
    const items: AffectedItem[] = [];
    for (const c of ctx.clusters.filter((x) => x.product === 'imp')) {
      const a = addressingOf(ctx, c.name);
      if (!a) continue;
      const domains = new Map<string, number>(a.imDomains.map((d) => [d.domain, d.users]));
      if (a.defaultDomain && !domains.has(a.defaultDomain.toLowerCase())) domains.set(a.defaultDomain.toLowerCase(), 0);
      for (const [domain, users] of domains) {
        const why = domainProblem(domain);
        if (!why) continue;
        items.push({ kind: 'domain', key: `${c.name}|${domain}`, status: 'failed', cluster: c.name, label: domain, detail: `${why} (${plural(users, 'user')} with IM addresses in it).`, data: { domain, users } });
      }
    }
    return outcome(items, {
      pass: 'Every IM domain is a valid domain name.',
      summary: (f) => `${plural(f.length, 'IM domain')} that ${f.length === 1 ? 'is' : 'are'} not valid domain names`,
      problem:
        'You can enter a domain name of up to a maximum of 255 characters. Allowable values are any upper- or lowercase letter (a-zA-Z), any number (0-9), the hyphen (-), or the dot (.). Domain labels must not start with a hyphen. The last label (for example, .com) must not start with a number.',
      solution: 'Correct the default domain (Presence > Settings > Advanced Configuration) or the users\' directory URIs that carry the invalid domain (User Management > End User in Cisco Unified CM Administration, or the LDAP attribute they are mapped to).',
    });
  },
};
