// What a new password must be. Pure: the setup and account pages show the rule.

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;

/** Why a new password is refused, or undefined. */
export function passwordProblem(password: string, account?: string): string | undefined {
  if ([...password].length < PASSWORD_MIN) return `a password needs at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `a password has at most ${PASSWORD_MAX} characters`;
  if (account && password.toLowerCase().includes(account.toLowerCase())) return 'a password must not contain the account name';
  if (/^(.)\1+$/.test(password)) return 'a password must not be one character repeated';
  return undefined;
}
