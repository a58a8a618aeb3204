// Directory URI and IM domain syntax (reference/userid-uri-troubleshooter.md §1.4, §1.7, §6 A3/A11).
//
// Cisco: "A URI that is not in the user@domain format is an invalid Directory URI" (EN s11652), with
// `asdf@ASDF@asdf@ADSF@cisco` as the example. The exact grammar is not in the sources; IMPulse's
// rule (a tool choice) is exactly one @, a non-empty local part without blanks, and a domain that
// passes Cisco's IM domain rules: "up to a maximum of 255 characters … any upper- or lowercase
// letter (a-zA-Z), any number (0-9), the hyphen (-), or the dot (.) … Domain labels must not start
// with a hyphen. The last label (for example, .com) must not start with a number." (EN s3112–3117)

/** Why a domain breaks Cisco's IM domain rules, or undefined when it is valid. */
export function domainProblem(domain: string): string | undefined {
  if (domain.length === 0) return 'the domain is empty';
  if (domain.length > 255) return `the domain has ${domain.length} characters (at most 255)`;
  const bad = /[^a-zA-Z0-9.-]/.exec(domain);
  if (bad) return `the domain contains '${bad[0] === ' ' ? 'a space' : bad[0]}' (allowed: letters, digits, hyphen and dot)`;
  const labels = domain.split('.');
  if (labels.some((l) => l.length === 0)) return 'the domain has an empty label (two dots in a row, or a dot at either end)';
  if (labels.some((l) => l.startsWith('-'))) return 'a domain label starts with a hyphen';
  if (/^[0-9]/.test(labels[labels.length - 1])) return `the last label '${labels[labels.length - 1]}' starts with a number`;
  return undefined;
}

/** Why a directory URI is not in the user@domain format, or undefined when it is valid. '' is "not configured", not invalid. */
export function uriProblem(uri: string): string | undefined {
  const at = uri.split('@').length - 1;
  if (at === 0) return 'no @: not in the user@domain format';
  if (at > 1) return `${at} @ characters: not in the user@domain format`;
  const [local, domain] = uri.split('@');
  if (local.length === 0) return 'the user part before the @ is empty';
  if (/\s/.test(local)) return 'the user part contains a blank';
  const d = domainProblem(domain);
  return d ? `${d}` : undefined;
}

/** Domain part of an address (after the last @), lower case; '' when there is none. */
export function domainOf(address: string): string {
  const i = address.lastIndexOf('@');
  return i < 0 ? '' : address.slice(i + 1).toLowerCase();
}

/**
 * The IM address of a user under the UserID@[Default_Domain] scheme. A user ID already in UPN
 * form has its first @ escaped as the guide prints it: alice@cisco.com → alice%20%cisco.com@cisco.com (EN s2844).
 */
export function userIdImAddress(userid: string, defaultDomain: string): string {
  return `${userid.replace('@', '%20%')}@${defaultDomain}`;
}
