// The output of one CLI command as it arrives over SSH. Chunks are kept in a list and joined once
// at the end; prompt and pager detection read only a bounded tail that is updated per chunk. The
// previous buffer appended each chunk to one string and sliced its last 400 characters per chunk,
// which flattens the whole string every time: quadratic in the output size (a 10 MB
// `utils service list`-sized stream took seconds; bench/cli-buffer.bench.ts).

export class OutputBuffer {
  private chunks: string[] = [];
  private tailText = '';
  private markAt = 0;
  /** Characters received since the last clear(). */
  length = 0;

  constructor(private readonly tailSize = 400) {}

  push(s: string): void {
    if (!s) return;
    this.chunks.push(s);
    this.length += s.length;
    const t = s.length >= this.tailSize ? s.slice(-this.tailSize) : this.tailText + s;
    this.tailText = t.length > this.tailSize ? t.slice(-this.tailSize) : t;
  }

  /** The last `tailSize` characters (for the prompt check). */
  tail(): string {
    return this.tailText;
  }

  /** Marks the current end: tailSinceMark() then reads only what arrived after it (pager answered). */
  mark(): void {
    this.markAt = this.length;
  }

  /** The tail, limited to what arrived after the last mark(). */
  tailSinceMark(): string {
    const fresh = this.length - this.markAt;
    return fresh >= this.tailText.length ? this.tailText : this.tailText.slice(this.tailText.length - fresh);
  }

  /** Everything received, joined once. */
  text(): string {
    if (this.chunks.length > 1) this.chunks = [this.chunks.join('')];
    return this.chunks[0] ?? '';
  }

  clear(): void {
    this.chunks = [];
    this.tailText = '';
    this.length = 0;
    this.markAt = 0;
  }
}
